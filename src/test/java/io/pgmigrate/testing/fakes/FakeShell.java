package io.pgmigrate.testing.fakes;

import io.pgmigrate.transport.CommandResult;
import io.pgmigrate.transport.HostShell;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * A host for unit tests: a set of paths that exist, answers to programs by their name, and a record of every argument
 * list it was asked to run. {@code test -e}, {@code mv}, {@code rm -rf} and {@code rm -f} act on the set of paths;
 * anything else gets the answer registered for its program (the last path part of argv[0]), or exit 0.
 */
public final class FakeShell implements HostShell {
    private final Set<String> paths = new HashSet<>();
    private final List<List<String>> ran = new ArrayList<>();
    private final java.util.Map<String, Function<List<String>, CommandResult>> programs = new java.util.HashMap<>();

    public FakeShell exists(String... path) {
        paths.addAll(List.of(path));
        return this;
    }

    public FakeShell gone(String path) {
        paths.remove(path);
        return this;
    }

    public boolean has(String path) {
        return paths.contains(path);
    }

    /** How a program answers (by the file name of argv[0]). */
    public FakeShell on(String program, Function<List<String>, CommandResult> answer) {
        programs.put(program, answer);
        return this;
    }

    public static CommandResult ok(String stdout) {
        return new CommandResult(0, stdout, "");
    }

    public static CommandResult fails(String stderr) {
        return new CommandResult(1, "", stderr);
    }

    /** Every argument list run so far, in order. */
    public List<List<String>> ran() {
        return List.copyOf(ran);
    }

    /** Whether some command run contained all of these arguments. */
    public boolean ranWith(String... args) {
        return ran.stream().anyMatch(a -> a.containsAll(List.of(args)));
    }

    @Override
    public synchronized CommandResult run(List<String> argv, Duration timeout) {
        ran.add(List.copyOf(argv));
        String program = argv.get(0).substring(argv.get(0).lastIndexOf('/') + 1);
        switch (program) {
            case "test":
                return new CommandResult(paths.contains(argv.get(argv.size() - 1)) ? 0 : 1, "", "");
            case "mv": {
                String from = argv.get(argv.size() - 2);
                String to = argv.get(argv.size() - 1);
                if (!paths.remove(from)) {
                    return fails("mv: cannot stat '" + from + "': No such file or directory");
                }
                paths.add(to);
                return ok("");
            }
            case "rm":
                String target = argv.get(argv.size() - 1);
                paths.removeIf(p -> p.equals(target) || p.startsWith(target + "/"));
                return ok("");
            default:
                Function<List<String>, CommandResult> answer = programs.get(program);
                return answer == null ? ok("") : answer.apply(argv);
        }
    }

    @Override
    public CommandResult run(List<String> argv, byte[] stdin, Duration timeout) {
        return run(argv, timeout);
    }

    @Override
    public String describe() {
        return "fake-host";
    }

    @Override
    public void close() {
    }
}
