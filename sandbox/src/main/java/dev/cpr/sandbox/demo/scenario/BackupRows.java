package dev.cpr.sandbox.demo.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** Reading backup-service's catalog rows ({@code GET /api/v1/backups/<id>}) the way the scenarios report them. */
final class BackupRows {

    /** The row's fields that explain its status, in the order they are looked at. */
    private static final List<String> EXPLAINING = List.of("reason", "message", "verification", "detail", "error");

    private BackupRows() {
    }

    /** Why the row is in its status: the first of its explaining fields that says something, else "". */
    static String reason(JsonNode row) {
        for (String field : EXPLAINING) {
            JsonNode value = row.path(field);
            if (value.isTextual() && !value.asText().isBlank()) {
                return value.asText();
            }
            if (value.isObject() || value.isArray()) {
                return value.toString();
            }
        }
        return "";
    }
}
