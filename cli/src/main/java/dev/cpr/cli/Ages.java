package dev.cpr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;

/** Times as the tables show them: {@code 42s ago}, {@code 5m 12s}. */
final class Ages {

    private Ages() {
    }

    static String ago(JsonNode instant) {
        Instant at = instant(instant);
        return at == null ? "-" : human(Duration.between(at, Instant.now())) + " ago";
    }

    static Instant instant(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isNumber()) {
            // Jackson's default for Instant without WRITE_DATES_AS_TIMESTAMPS off: seconds.nanos
            return Instant.ofEpochMilli((long) (node.asDouble() * 1000));
        }
        return Instant.parse(node.asText());
    }

    static String between(JsonNode from, JsonNode to) {
        Instant start = instant(from);
        if (start == null) {
            return "-";
        }
        Instant end = instant(to);
        return human(Duration.between(start, end == null ? Instant.now() : end));
    }

    static String human(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s < 60) {
            return d.toMillis() < 10_000 ? String.format("%.1fs", Math.max(0, d.toMillis()) / 1000.0) : s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m " + (s % 60) + "s";
        }
        if (s < 86_400) {
            return (s / 3600) + "h " + (s % 3600 / 60) + "m";
        }
        return (s / 86_400) + "d " + (s % 86_400 / 3600) + "h";
    }
}
