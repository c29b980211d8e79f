package io.pgmigrate.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A copy of a PostgreSQL bin directory in which chosen programs misbehave on purpose: a directory of symbolic links
 * to the real programs (which find their share and library directories through the resolved link, as they do when
 * packaged), with the chosen programs replaced by shell scripts. A script starts with {@code REAL} set to the real
 * program and {@code HERE} to the copy's directory (owned by the cluster owner: a script may leave marker files
 * there), then runs its body; it ends with {@code exec "$REAL" "$@"} unless the body exits first.
 */
public final class BinCopy {
    private BinCopy() {
    }

    /** Makes {@code dir} (new) the copy of {@code realBin}, with {@code scripts}: program name → shell body. */
    public static Path of(Path dir, Path realBin, Map<String, String> scripts) {
        try {
            Files.createDirectories(dir);
            try (Stream<Path> programs = Files.list(realBin)) {
                for (Path p : programs.toList()) {
                    String name = p.getFileName().toString();
                    if (!scripts.containsKey(name)) {
                        Files.createSymbolicLink(dir.resolve(name), p.toRealPath());
                    }
                }
            }
            for (Map.Entry<String, String> s : scripts.entrySet()) {
                Path real = realBin.resolve(s.getKey()).toRealPath();
                Path script = dir.resolve(s.getKey());
                Files.writeString(script, "#!/bin/sh\nREAL='" + real + "'\nHERE='" + dir + "'\n" + s.getValue()
                        + "\nexec \"$REAL\" \"$@\"\n");
                Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            OsUser.chownToOwner(dir);
            if (OsUser.isRoot()) {
                OsUser.run(List.of("chmod", "755", dir.toString()), false);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
