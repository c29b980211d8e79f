package io.pgmigrate.plan;

/** How a finding weighs on the upgrade. */
public enum Severity {
    /** The upgrade would fail or lose data: {@code plan} exits 3 and {@code execute} refuses. */
    BLOCKER,
    /** Works, but the DBA should know and may want to act. */
    WARNING,
    /** For the record. */
    INFO
}
