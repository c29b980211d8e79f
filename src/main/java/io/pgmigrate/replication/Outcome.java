package io.pgmigrate.replication;

/** What an "ensure" did: created the object now, or found it there already (a resumed run). */
public enum Outcome {
    CREATED,
    ALREADY_PRESENT
}
