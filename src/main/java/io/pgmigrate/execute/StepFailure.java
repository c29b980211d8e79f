package io.pgmigrate.execute;

/** A step did not do what it must; the message is one line naming the step, the host and the cause. */
public class StepFailure extends RuntimeException {
    public StepFailure(String message) {
        super(message);
    }
}
