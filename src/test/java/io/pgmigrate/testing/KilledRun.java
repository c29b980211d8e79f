package io.pgmigrate.testing;

import com.sun.jdi.Bootstrap;
import com.sun.jdi.Field;
import com.sun.jdi.Method;
import com.sun.jdi.ObjectReference;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.StringReference;
import com.sun.jdi.Value;
import com.sun.jdi.VMDisconnectedException;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.connect.AttachingConnector;
import com.sun.jdi.connect.Connector;
import com.sun.jdi.event.BreakpointEvent;
import com.sun.jdi.event.ClassPrepareEvent;
import com.sun.jdi.event.Event;
import com.sun.jdi.event.EventSet;
import com.sun.jdi.event.MethodExitEvent;
import com.sun.jdi.event.VMDeathEvent;
import com.sun.jdi.event.VMDisconnectEvent;
import com.sun.jdi.request.BreakpointRequest;
import com.sun.jdi.request.EventRequest;
import com.sun.jdi.request.EventRequestManager;
import com.sun.jdi.request.MethodExitRequest;

import io.pgmigrate.journal.Journal;
import io.pgmigrate.journal.JournalEvent;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code pgmigrate COMMAND -i INVENTORY PLAN} run from {@code target/pgmigrate.jar} as its own JVM under the Java
 * debugger interface, and SIGKILLed at an exact point of its execution rather than whenever a watcher of the journal
 * happens to look: while the debugger holds it at the point, nothing of it runs on, then it is killed. A journal
 * watcher that kills "after step X finished" sometimes kills inside the next step instead, which changes what the
 * next run has to do; here the point is the same every time.
 *
 * <p>The points: just after a step's finished event, or its started event, was appended to the journal (forced to
 * disk; the next line not begun); or, once a step started, when pgmigrate enters a named method for it (the wait for a
 * program it launched on the host, say), optionally only once a file on this machine holds a text (that program's
 * output has come that far).
 */
public final class KilledRun {
    private static final String JOURNAL = "io.pgmigrate.journal.Journal";
    private static final String JAVA = ProcessHandle.current().info().command().orElse("java");
    private static final Path JAR = Path.of(System.getenv().getOrDefault("PGMIGRATE_PROJECT_DIR", "."), "target",
            "pgmigrate.jar");
    private static final Pattern LISTENING = Pattern.compile("Listening for transport dt_socket at address: (\\d+)");

    /** Where the point lies: after the step's finished event, after its started event, or at a method inside it. */
    public enum Kind { FINISHED, STARTED, AT_METHOD }

    /**
     * A point to kill at. {@code className}/{@code method}: for AT_METHOD, the method entered while the step runs;
     * {@code waitFile}/{@code waitFor}: kill only once that local file contains that text (null: at once).
     */
    public record Point(String step, Kind kind, String className, String method, Path waitFile, String waitFor) {
        public static Point finished(String step) {
            return new Point(step, Kind.FINISHED, null, null, null, null);
        }

        public static Point started(String step) {
            return new Point(step, Kind.STARTED, null, null, null, null);
        }

        public static Point at(String step, String className, String method) {
            return new Point(step, Kind.AT_METHOD, className, method, null, null);
        }

        public Point once(Path file, String text) {
            return new Point(step, kind, className, method, file, text);
        }
    }

    /** How the run ended: killed at the point, or by itself (exit code); its console (stdout and stderr). */
    public record Result(boolean killed, int exitCode, String console) {
    }

    private final Process process;
    private final VirtualMachine vm;
    private final Point point;
    private final StringBuffer console;
    private final CompletableFuture<Void> drained;
    /** The journal events the run appended, as "Kind step" (for messages). */
    private final List<String> appended = new ArrayList<>();
    private BreakpointRequest target;
    private boolean armed;
    private String missed;

    private KilledRun(Process process, VirtualMachine vm, Point point, StringBuffer console,
                      CompletableFuture<Void> drained) {
        this.process = process;
        this.vm = vm;
        this.point = point;
        this.console = console;
        this.drained = drained;
    }

    /**
     * Runs {@code pgmigrate ARGS…} to its end and leaves in {@code archive} the classes it loaded (a class-data-sharing
     * archive), so that the runs given it start faster: a kill matrix starts pgmigrate many times.
     */
    public static Result archiving(List<String> args, Path archive, Duration limit) {
        return start(args, null, limit, List.of("-XX:ArchiveClassesAtExit=" + archive));
    }

    /**
     * Runs {@code pgmigrate ARGS…} and kills it at the point (null: lets it end by itself). Fails when it ended before
     * the point, or the step passed without reaching it, or nothing happened within the limit. {@code archive}: the
     * classes an earlier run left ({@link #archiving}), or null.
     */
    public static Result run(List<String> args, Point point, Duration limit, Path archive) {
        return start(args, point, limit, archive != null && Files.exists(archive)
                ? List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off") : List.of());
    }

    private static Result start(List<String> args, Point point, Duration limit, List<String> options) {
        List<String> argv = new ArrayList<>(List.of(JAVA, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        argv.addAll(options);
        if (point != null) {
            argv.add("-agentlib:jdwp=transport=dt_socket,server=y,suspend=y,address=127.0.0.1:0");
        }
        argv.addAll(List.of("-jar", JAR.toString()));
        argv.addAll(args);
        Process p;
        try {
            p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StringBuffer console = new StringBuffer();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        CompletableFuture<Void> drained = CompletableFuture.runAsync(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    Matcher m = LISTENING.matcher(line);
                    if (!port.isDone() && m.find()) {
                        port.complete(Integer.parseInt(m.group(1)));
                        continue;
                    }
                    console.append(line).append('\n');
                }
            } catch (IOException e) {
                // the process was killed
            }
        });
        try {
            if (point == null) {
                if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly().waitFor();
                    throw new AssertionError("pgmigrate " + args.get(0) + " did not end within " + limit + ":\n"
                            + console);
                }
                drained.get(10, TimeUnit.SECONDS);
                return new Result(false, p.exitValue(), console.toString());
            }
            VirtualMachine vm = attach(port.get(30, TimeUnit.SECONDS));
            return new KilledRun(p, vm, point, console, drained).watch(limit);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot debug pgmigrate (console: " + console + ")", e);
        } finally {
            p.destroyForcibly();
        }
    }

    /**
     * Runs {@code pgmigrate execute -i INVENTORY PLAN} and SIGKILLs it as soon as a watcher of the journal sees the
     * event. Not exact (the run may have gone on a little by then): for kills inside a step that waits or hangs.
     */
    public static void whenJournalShows(Path inventory, Path planFile, Path journal,
                                        Predicate<JournalEvent> event)
            throws Exception {
        whenJournalShows("execute", inventory, planFile, journal, event);
    }

    /** As above for any command that runs a plan's steps (execute, rollback, cleanup). */
    public static void whenJournalShows(String command, Path inventory, Path planFile, Path journal,
                                        Predicate<JournalEvent> event)
            throws Exception {
        int seen = Journal.read(journal).size();
        Process p = new ProcessBuilder(JAVA, "-jar", JAR.toString(), command, "-i", inventory.toString(),
                planFile.toString()).redirectErrorStream(true).redirectOutput(new File("/dev/null")).start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        try {
            while (System.nanoTime() < deadline) {
                if (Journal.read(journal).stream().skip(seen).anyMatch(event)) {
                    p.destroyForcibly().waitFor();
                    return;
                }
                if (!p.isAlive()) {
                    throw new AssertionError("pgmigrate ended before the kill point (exit " + p.exitValue() + ")");
                }
                Thread.sleep(50);
            }
            throw new AssertionError("the kill point never came");
        } finally {
            p.destroyForcibly();
        }
    }

    private static VirtualMachine attach(int port) {
        AttachingConnector socket = Bootstrap.virtualMachineManager().attachingConnectors().stream()
                .filter(c -> c.name().equals("com.sun.jdi.SocketAttach")).findFirst().orElseThrow();
        Map<String, Connector.Argument> args = socket.defaultArguments();
        args.get("hostname").setValue("127.0.0.1");
        args.get("port").setValue(Integer.toString(port));
        try {
            return socket.attach(args);
        } catch (IOException | com.sun.jdi.connect.IllegalConnectorArgumentsException e) {
            throw new IllegalStateException("cannot attach to pgmigrate on port " + port, e);
        }
    }

    private Result watch(Duration limit) throws InterruptedException {
        EventRequestManager erm = vm.eventRequestManager();
        prepare(erm, JOURNAL);
        if (point.kind() == Kind.AT_METHOD) {
            prepare(erm, point.className());
        }
        vm.resume();
        long deadline = System.nanoTime() + limit.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                EventSet set = vm.eventQueue().remove(1000);
                if (set == null) {
                    continue;
                }
                for (Event e : set) {
                    if (e instanceof VMDeathEvent || e instanceof VMDisconnectEvent) {
                        return ended();
                    }
                    if (e instanceof ClassPrepareEvent c) {
                        prepared(erm, c.referenceType());
                    } else if (e instanceof BreakpointEvent b && b.request() == target) {
                        if (armed) {
                            awaitFile();
                            return kill();
                        }
                    } else if (e instanceof BreakpointEvent b) {
                        if (appending(erm, b)) {
                            return kill();
                        }
                    } else if (e instanceof MethodExitEvent x && x.method().name().equals("append")) {
                        return kill();
                    }
                }
                set.resume();
            }
        } catch (VMDisconnectedException e) {
            return ended();
        }
        kill();
        throw new AssertionError("the kill point " + point + " did not come within " + limit + "; journal events"
                + " appended: " + appended + "\n" + console);
    }

    private void prepare(EventRequestManager erm, String className) {
        var request = erm.createClassPrepareRequest();
        request.addClassFilter(className);
        request.setSuspendPolicy(EventRequest.SUSPEND_EVENT_THREAD);
        request.enable();
    }

    private void prepared(EventRequestManager erm, ReferenceType type) {
        if (type.name().equals(JOURNAL)) {
            BreakpointRequest append = erm.createBreakpointRequest(method(type, "append").location());
            append.setSuspendPolicy(EventRequest.SUSPEND_EVENT_THREAD);
            append.enable();
        }
        if (point.kind() == Kind.AT_METHOD && type.name().equals(point.className())) {
            target = erm.createBreakpointRequest(method(type, point.method()).location());
            target.setSuspendPolicy(EventRequest.SUSPEND_EVENT_THREAD);
            target.enable();
        }
    }

    private static Method method(ReferenceType type, String name) {
        return type.methodsByName(name).stream().filter(m -> !m.isAbstract()).findFirst()
                .orElseThrow(() -> new IllegalStateException(type.name() + " has no method " + name));
    }

    /**
     * At Journal.append: which event is about to be written. True when the run is to be killed before it is (the step
     * ended without reaching the point inside it).
     */
    private boolean appending(EventRequestManager erm, BreakpointEvent b) {
        ObjectReference event;
        try {
            event = (ObjectReference) b.thread().frame(0).getArgumentValues().get(0);
        } catch (com.sun.jdi.IncompatibleThreadStateException e) {
            throw new IllegalStateException(e);
        }
        String kind = event.referenceType().name().replaceFirst(".*\\$", "");
        String step = stringField(event, "step");
        appended.add(kind + (step == null ? "" : " " + step));
        if (!point.step().equals(step)) {
            return false;
        }
        boolean started = kind.equals("StepStarted");
        boolean ended = kind.equals("StepFinished") || kind.equals("StepFailed");
        if (point.kind() == Kind.FINISHED && kind.equals("StepFinished")
                || point.kind() == Kind.STARTED && started) {
            // killed as the event's write returns: the next method exit of the journal on this thread
            MethodExitRequest exit = erm.createMethodExitRequest();
            exit.addClassFilter(JOURNAL);
            exit.addThreadFilter(b.thread());
            exit.setSuspendPolicy(EventRequest.SUSPEND_ALL);
            exit.enable();
        } else if (point.kind() == Kind.AT_METHOD && started) {
            armed = true;
        } else if (point.kind() == Kind.AT_METHOD && ended && armed) {
            missed = "step " + step + " ended (" + kind + ") without entering " + point.className() + "."
                    + point.method();
            return true;
        }
        return false;
    }

    private static String stringField(ObjectReference o, String name) {
        Field f = o.referenceType().fieldByName(name);
        if (f == null) {
            return null;
        }
        Value v = o.getValue(f);
        return v instanceof StringReference s ? s.value() : null;
    }

    private void awaitFile() throws InterruptedException {
        if (point.waitFile() == null) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline) {
            try {
                if (Files.exists(point.waitFile()) && Files.readString(point.waitFile()).contains(point.waitFor())) {
                    return;
                }
            } catch (IOException e) {
                // being written: look again
            }
            Thread.sleep(20);
        }
        throw new AssertionError(point.waitFile() + " never contained '" + point.waitFor() + "'");
    }

    /** SIGKILL, while the debugger holds every thread. */
    private Result kill() throws InterruptedException {
        try {
            vm.suspend();
        } catch (VMDisconnectedException e) {
            // gone already
        }
        process.destroyForcibly();
        process.waitFor();
        drain();
        if (missed != null) {
            throw new AssertionError("the kill point " + point + " never came: " + missed + "\n" + console);
        }
        return new Result(true, process.exitValue(), console.toString());
    }

    private Result ended() throws InterruptedException {
        process.waitFor();
        drain();
        throw new AssertionError("pgmigrate ended (exit " + process.exitValue() + ") before the kill point " + point
                + "; journal events appended: " + appended + "\n" + console);
    }

    private void drain() {
        try {
            drained.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the console is what was read
        }
    }
}
