package io.pgmigrate.execute;


import java.util.List;

/**
 * What a way back did (one line each, in order) and what it could not do (one line each, with why): an abandoned
 * cutover (blue/green CutoverUndo) or a blue/green teardown (BlueGreenTeardown).
 */
public record UndoOutcome(List<String> done, List<String> failed) {
    public UndoOutcome {
        done = List.copyOf(done);
        failed = List.copyOf(failed);
    }

    /** For messages: what was done ({@code nothing} when nothing was), then what was NOT done. */
    public String describe(String nothing) {
        String d = done.isEmpty() ? nothing : String.join(", ", done);
        return failed.isEmpty() ? d : d + "; NOT done: " + String.join("; ", failed);
    }
}
