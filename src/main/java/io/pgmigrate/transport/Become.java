package io.pgmigrate.transport;

import java.util.ArrayList;
import java.util.List;

/** {@code become}: run a program as another OS user through {@code sudo -n -u USER --} (never asks for a password). */
final class Become {
    private Become() {
    }

    /** argv as the host runs it: unchanged when no user is asked for or it is the user we already are. */
    static List<String> wrap(String user, String currentUser, List<String> argv) {
        if (user == null || user.isBlank() || user.equals(currentUser)) {
            return argv;
        }
        List<String> full = new ArrayList<>(List.of("sudo", "-n", "-u", user, "--"));
        full.addAll(argv);
        return full;
    }
}
