package io.pgmigrate.replication;

/** A table's state in a subscription ({@code pg_subscription_rel.srsubstate}). */
public enum SyncState {
    /** i: waiting for a table synchronisation worker. */
    INIT('i', "waiting"),
    /** d: the worker copies the table's rows. */
    DATA_COPY('d', "copying"),
    /** f: the copy is done, the worker applies what arrived meanwhile. */
    FINISHED_COPY('f', "catching up"),
    /** s: synchronised with the apply worker, handing over. */
    SYNCED('s', "catching up"),
    /** r: ready, replicated by the subscription's apply worker. */
    READY('r', "ready");

    private final char code;
    private final String word;

    SyncState(char code, String word) {
        this.code = code;
        this.word = word;
    }

    public static SyncState of(String code) {
        for (SyncState s : values()) {
            if (code != null && code.length() == 1 && s.code == code.charAt(0)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown srsubstate '" + code + "'");
    }

    public char code() {
        return code;
    }

    /** What a DBA would call it in a progress line. */
    public String word() {
        return word;
    }
}
