package io.pgmigrate.verify;

/**
 * The kinds of object a {@link SchemaInventory} lists, in the order a report shows them. {@link #label()}
 * is how a DBA says it ("materialized view").
 */
public enum SchemaKind {
    DATABASE,
    SCHEMA,
    EXTENSION,
    TYPE,
    SEQUENCE,
    TABLE,
    COLUMN,
    CONSTRAINT,
    INDEX,
    VIEW,
    MATERIALIZED_VIEW,
    FUNCTION,
    PROCEDURE,
    TRIGGER,
    RULE,
    POLICY,
    DEFAULT_PRIVILEGES;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }
}
