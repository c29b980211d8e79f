package io.pgmigrate.cli;

import picocli.CommandLine.Option;

/** Options every verb shares (a picocli mixin). */
public final class GlobalOptions {
    @Option(names = "--debug", description = "Show stack traces of errors.")
    boolean debug;

    @Option(names = "--accept-new-host-key",
            description = "Accept an SSH host key that is not in known_hosts yet (for this run; a changed key is never accepted).")
    boolean acceptNewHostKey;
}
