package dev.cpr.restore.adapters.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cpr.contracts.recovery.RecoveryOption;
import java.util.List;

/** The {@code options} column: the ranked quorum-loss options as a JSON array. */
final class RecoveryOptionsJson {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<RecoveryOption>> LIST = new TypeReference<>() {
    };

    private RecoveryOptionsJson() {
    }

    static String write(List<RecoveryOption> options) {
        if (options == null || options.isEmpty()) {
            return null;
        }
        try {
            return JSON.writeValueAsString(options);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("recovery options cannot be written as JSON: " + e.getMessage(), e);
        }
    }

    static List<RecoveryOption> read(String column) {
        if (column == null || column.isBlank()) {
            return List.of();
        }
        try {
            return JSON.readValue(column, LIST);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the stored recovery options are not valid JSON: " + e.getMessage(), e);
        }
    }
}
