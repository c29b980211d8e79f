package io.pgmigrate.plan;

/** A boundary a reviewer must see: where the way back is still open, and where it closes. */
public enum Marker {
    NONE,
    /** After this step, a failure can return to a running old cluster with its data intact. */
    ROLLBACK_POINT,
    /** From this step on, the way back is a backup or a standby, not pgmigrate rollback. */
    POINT_OF_NO_RETURN,
    /**
     * Blue/green: clients work on the new cluster from this step on, and the old one is kept current by reverse
     * replication; the way back is {@code pgmigrate rollback}, the cutover in reverse, which loses nothing.
     */
    REVERSE_CUTOVER
}
