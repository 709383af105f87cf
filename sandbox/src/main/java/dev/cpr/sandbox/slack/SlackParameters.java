package dev.cpr.sandbox.slack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.cpr.sandbox.simhttp.SimHttp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A Web API call's parameters as Slack reads them (query, then a form or a JSON body), and Slack's
 * {@code {"ok":false,"error":...}} answer.
 */
final class SlackParameters {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SlackParameters() {
    }

    static Map<String, Object> parameters(HttpExchange exchange) throws IOException {
        Map<String, Object> params = new LinkedHashMap<>(SimHttp.query(exchange));
        String contentType = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Content-Type"))
                .orElse("").toLowerCase(Locale.ROOT);
        byte[] body = SimHttp.body(exchange);
        if (body.length == 0) {
            return params;
        }
        if (contentType.startsWith("application/json")) {
            JsonNode tree;
            try {
                tree = JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalArgumentException("invalid_json");
            }
            if (!tree.isObject()) {
                throw new IllegalArgumentException("invalid_json");
            }
            tree.fields().forEachRemaining(f -> params.put(f.getKey(),
                    f.getValue().isTextual() ? f.getValue().asText() : f.getValue()));
        } else {
            params.putAll(SimHttp.form(new String(body, StandardCharsets.UTF_8)));
        }
        return params;
    }

    static String string(Map<String, Object> params, String key) {
        Object value = params.get(key);
        if (value == null) {
            return null;
        }
        return value instanceof JsonNode node ? (node.isNull() ? null : node.asText()) : value.toString();
    }

    /** Blocks as sent: a JSON array, or a string holding one. Null when absent or empty. */
    static JsonNode blocks(Object value) {
        if (value == null) {
            return null;
        }
        JsonNode node;
        if (value instanceof JsonNode json) {
            node = json;
        } else {
            String s = value.toString();
            if (s.isBlank()) {
                return null;
            }
            try {
                node = JSON.readTree(s);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("invalid_blocks");
            }
        }
        if (node.isNull()) {
            return null;
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException("invalid_blocks");
        }
        return node.isEmpty() ? null : node;
    }

    /**
     * Message metadata as {@code chat.postMessage} takes it: a JSON object (or a string holding one) with a non-empty
     * {@code event_type} and an object {@code event_payload}. Null when absent; anything else is
     * {@code invalid_metadata_format}.
     */
    static JsonNode metadata(Object value) {
        if (value == null || value.toString().isBlank()) {
            return null;
        }
        JsonNode node;
        try {
            node = value instanceof JsonNode json ? json : JSON.readTree(value.toString());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("invalid_metadata_format");
        }
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject() || !node.path("event_type").isTextual() || node.path("event_type").asText().isEmpty()
                || !node.path("event_payload").isObject()) {
            throw new IllegalArgumentException("invalid_metadata_format");
        }
        ObjectNode metadata = JSON.createObjectNode();
        metadata.put("event_type", node.get("event_type").asText());
        metadata.set("event_payload", node.get("event_payload").deepCopy());
        return metadata;
    }

    /** A boolean parameter as Slack reads it: {@code true} or {@code 1}. */
    static boolean flag(Map<String, Object> params, String key) {
        String value = string(params, key);
        return "true".equalsIgnoreCase(value) || "1".equals(value);
    }

    static ObjectNode error(String error) {
        return JSON.createObjectNode().put("ok", false).put("error", error);
    }
}
