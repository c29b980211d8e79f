package io.pgmigrate.execute;

/** A step did not do what it must; the message is one line naming the step, the host and the cause. */
public class StepFailure extends RuntimeException {
    public StepFailure(String message) {
        super(message);
    }

    /** A failure that trying again cannot end (the server refuses what it is given): never retried. */
    public static class Persistent extends StepFailure {
        public Persistent(String message) {
            super(message);
        }
    }
}
