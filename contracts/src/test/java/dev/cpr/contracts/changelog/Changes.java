package dev.cpr.contracts.changelog;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** Test changes with readable keys. */
final class Changes {

    static final Instant T0 = Instant.parse("2026-12-03T04:00:00Z");

    private Changes() {
    }

    static Change put(long revision, String key, String value) {
        return Change.put(revision, bytes(key), bytes(value), 0, revision, 1, T0.plusMillis(revision));
    }

    static Change delete(long revision, String key) {
        return Change.delete(revision, bytes(key), T0.plusMillis(revision));
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
