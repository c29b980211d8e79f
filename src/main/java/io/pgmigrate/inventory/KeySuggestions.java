package io.pgmigrate.inventory;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** "did you mean ...?" for misspelt keys and enum values: the closest candidate by edit distance. */
final class KeySuggestions {
    private KeySuggestions() {
    }

    /**
     * The candidate closest to {@code input}, ignoring case, underscores and hyphens, if it is close enough
     * to be a plausible typo ({@code datadir}, {@code data_dir} → {@code dataDir}; {@code prot} → {@code port}),
     * or a prefix either way ({@code identityFile} → {@code identity}).
     */
    static Optional<String> closest(String input, Collection<String> candidates) {
        String in = fold(input);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            String c = fold(candidate);
            int d = distance(in, c);
            boolean prefix = Math.min(in.length(), c.length()) >= 4 && (in.startsWith(c) || c.startsWith(in));
            if (d <= threshold(Math.max(in.length(), c.length())) || prefix) {
                int score = prefix ? Math.min(d, 1) : d;
                if (score < bestDistance) {
                    best = candidate;
                    bestDistance = score;
                }
            }
        }
        return Optional.ofNullable(best);
    }

    private static int threshold(int length) {
        if (length <= 3) {
            return 1;
        }
        return length <= 6 ? 2 : 3;
    }

    private static String fold(String s) {
        return s.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and adjacent transpositions. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    v = Math.min(v, d[i - 2][j - 2] + 1);
                }
                d[i][j] = v;
            }
        }
        return d[a.length()][b.length()];
    }
}
