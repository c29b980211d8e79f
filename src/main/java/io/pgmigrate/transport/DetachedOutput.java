package io.pgmigrate.transport;

/**
 * How much of a detached program's output file has been handed to listeners: the byte offset
 * read so far and a last line still waiting for its line end. A multi-byte character split across
 * two reads is decoded as replacement characters (it happens only when the program paused mid-character).
 */
final class DetachedOutput {
    private long offset;
    private final StringBuilder pending = new StringBuilder();

    long offset() {
        return offset;
    }

    /** Hands the complete lines of a reply's chunk to the listener and moves the offset past it. */
    void accept(DetachedCommand.Reply reply, OutputListener listener) {
        pending.append(reply.chunk());
        offset = reply.size();
        int start = 0;
        for (int nl = pending.indexOf("\n"); nl >= 0; nl = pending.indexOf("\n", start)) {
            listener.onStdout(pending.substring(start, nl));
            start = nl + 1;
        }
        pending.delete(0, start);
    }

    /** The program ended: hands over a last line without a line end. */
    void finish(OutputListener listener) {
        if (!pending.isEmpty()) {
            listener.onStdout(pending.toString());
            pending.setLength(0);
        }
    }
}
