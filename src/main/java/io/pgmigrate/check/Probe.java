package io.pgmigrate.check;

/**
 * SQL a pre-check needs run on the source, read-only. Inspection runs every applicable probe and
 * keeps the rows in the facts, so that checks themselves stay pure.
 *
 * @param id    unique id, usually the check's id
 * @param scope run once in the maintenance database, or once in every database that allows connections
 * @param sql   a read-only SELECT; every column is read as text
 */
public record Probe(String id, Scope scope, String sql) {
    public enum Scope { CLUSTER, EACH_DATABASE }
}
