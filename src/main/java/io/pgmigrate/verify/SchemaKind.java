package io.pgmigrate.verify;

/**
 * The kinds of object a {@link SchemaInventory} lists, in the order a report shows them. {@link #label()}
 * is how a DBA says it ("materialized view").
 */
public enum SchemaKind {
    DATABASE,
    SCHEMA,
    EXTENSION,
    COLLATION,
    TYPE,
    SEQUENCE,
    TABLE,
    COLUMN,
    CONSTRAINT,
    INDEX,
    STATISTICS,
    VIEW,
    MATERIALIZED_VIEW,
    FUNCTION,
    PROCEDURE,
    TRIGGER,
    RULE,
    POLICY,
    EVENT_TRIGGER,
    PUBLICATION,
    DEFAULT_PRIVILEGES;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }
}
