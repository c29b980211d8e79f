package io.pgmigrate.transport;

/**
 * How much of a detached program's output file has been handed to listeners: the byte offset
 * read so far, and the bytes of a last line still waiting for its line end (so that lines and
 * multi-byte characters split across two polls arrive whole).
 */
final class DetachedOutput {
    private long offset;
    private OutputListener listener = OutputListener.NONE;
    private final LineCapture lines = new LineCapture(line -> listener.onStdout(line), new Object(), 0);

    long offset() {
        return offset;
    }

    /** Hands the complete lines of a reply's chunk to the listener and moves the offset past it. */
    void accept(DetachedCommand.Reply reply, OutputListener to) {
        listener = to;
        lines.write(reply.chunk(), 0, reply.chunk().length);
        offset = Math.max(offset, reply.size());
    }

    /** The program ended: hands over a last line without a line end. */
    void finish(OutputListener to) {
        listener = to;
        lines.finish();
    }
}
