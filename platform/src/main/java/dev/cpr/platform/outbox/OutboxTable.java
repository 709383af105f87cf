package dev.cpr.platform.outbox;

import java.util.regex.Pattern;

/**
 * The qualified name of a service's outbox table, e.g. {@code restore_service.event_outbox}. Checked once here because
 * it is written into SQL text (a table name cannot be a bind parameter). Each service creates the table with its own
 * Flyway migration; the columns are in {@code platform/README.md}.
 */
public record OutboxTable(String qualifiedName) {

    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)?");

    public OutboxTable {
        if (qualifiedName == null || !NAME.matcher(qualifiedName).matches()) {
            throw new IllegalArgumentException("outbox table '" + qualifiedName
                    + "' is not a lower-case [schema.]table name (letters, digits, underscores)");
        }
    }

    /** In the schema the service's migrations create. */
    public static OutboxTable inSchema(String schema) {
        return new OutboxTable(schema + ".event_outbox");
    }
}
