package io.pgmigrate.verify;

import io.pgmigrate.transport.SqlSession;

import java.util.List;
import java.util.Objects;

/**
 * The schema of one database as data: every user object (see {@link SchemaKind}) by name and definition,
 * sorted by kind and name, with the server version it was read from (some differences are expected
 * between versions, see {@link SchemaRules}). Objects of pg_catalog, information_schema, pg_toast and temp
 * schemas are not listed, nor extension members (the extension stands for them).
 */
public record SchemaInventory(String database, int serverVersionNum, List<SchemaObject> objects) {
    public SchemaInventory {
        Objects.requireNonNull(database, "database");
        objects = objects == null ? List.of() : objects.stream().sorted().toList();
    }

    /**
     * Reads the inventory of the session's database: one read-only catalog query per kind of object, in
     * one REPEATABLE READ snapshot. The session must not be inside a transaction.
     */
    public static SchemaInventory capture(SqlSession session) {
        return SchemaCapture.capture(session);
    }

    /** The server's major version (15, 18). */
    public int major() {
        return serverVersionNum / 10000;
    }

    /** The objects of one kind, in name order. */
    public List<SchemaObject> objects(SchemaKind kind) {
        return objects.stream().filter(o -> o.kind() == kind).toList();
    }

    /** The object of that kind and name, or null. */
    public SchemaObject find(SchemaKind kind, String name) {
        return objects.stream().filter(o -> o.kind() == kind && o.name().equals(name)).findFirst().orElse(null);
    }
}
