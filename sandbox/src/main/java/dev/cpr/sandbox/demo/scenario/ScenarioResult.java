package dev.cpr.sandbox.demo.scenario;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.cpr.contracts.events.EventCodec;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One scenario's outcome: printed as one JSON line, fields in the order they were set
 * ({@code scenario} and {@code ok} first).
 */
public final class ScenarioResult {
    private final Map<String, Object> fields = new LinkedHashMap<>();

    public ScenarioResult(String scenario) {
        fields.put("scenario", scenario);
        fields.put("ok", false);
    }

    public ScenarioResult put(String key, Object value) {
        fields.put(key, value);
        return this;
    }

    public ScenarioResult ok(boolean ok) {
        return put("ok", ok);
    }

    public boolean ok() {
        return Boolean.TRUE.equals(fields.get("ok"));
    }

    public Object get(String key) {
        return fields.get(key);
    }

    public Map<String, Object> fields() {
        return Collections.unmodifiableMap(fields);
    }

    public String toJson() {
        try {
            return EventCodec.mapper().writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return toJson();
    }
}
