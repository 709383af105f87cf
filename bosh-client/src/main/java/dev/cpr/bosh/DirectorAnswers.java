package dev.cpr.bosh;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.IOException;
import java.net.http.HttpResponse;

/**
 * Reads the director's answers: JSON bodies into their types, and an unexpected status into a
 * {@link BoshDirectorException} that carries the director's own {@code {"code","description"}} or its plain text.
 */
final class DirectorAnswers {

    static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private DirectorAnswers() {
    }

    static void expect(String call, HttpResponse<String> response, int status) {
        if (response.statusCode() != status) {
            throw error(call, response);
        }
    }

    static BoshDirectorException error(String call, HttpResponse<String> response) {
        String body = response.body() == null ? "" : response.body();
        try {
            JsonNode node = JSON.readTree(body);
            if (node != null && node.isObject() && node.has("code")) {
                return new BoshDirectorException(call, response.statusCode(), node.get("code").asInt(),
                        node.path("description").asText(""));
            }
        } catch (IOException notJson) {
            // a plain-text error, e.g. "Endpoint '/x' not found."
        }
        return new BoshDirectorException(call, response.statusCode(), null, abbreviate(body.trim()));
    }

    static <T> T read(String call, String body, Class<T> type) {
        try {
            return JSON.readValue(body, type);
        } catch (JsonProcessingException e) {
            throw new BoshException(call + " answered something that is not a " + type.getSimpleName() + ": "
                    + e.getOriginalMessage() + " in " + abbreviate(body), e);
        }
    }

    static <T> T read(String call, String body, TypeReference<T> type) {
        try {
            return JSON.readValue(body, type);
        } catch (JsonProcessingException e) {
            throw new BoshException(call + " answered unexpected JSON: " + e.getOriginalMessage() + " in "
                    + abbreviate(body), e);
        }
    }

    static String describe(Throwable e) {
        Throwable t = e;
        while (t.getMessage() == null && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    static String abbreviate(String body) {
        if (body == null) {
            return "";
        }
        return body.length() > 300 ? body.substring(0, 300) + "..." : body;
    }
}
