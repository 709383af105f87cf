package dev.cpr.contracts.inventory;

/** The inventory file cannot be used. The message names the file, the field and the reason. */
public class InventoryException extends RuntimeException {
    private final String file;
    private final String field;
    private final String reason;

    public InventoryException(String file, String field, String reason, Throwable cause) {
        super("inventory " + file + ": " + (field == null || field.isEmpty() ? "" : field + ": ") + reason, cause);
        this.file = file;
        this.field = field;
        this.reason = reason;
    }

    public String file() {
        return file;
    }

    public String field() {
        return field;
    }

    public String reason() {
        return reason;
    }
}
