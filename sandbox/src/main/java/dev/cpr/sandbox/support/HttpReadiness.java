package dev.cpr.sandbox.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

/**
 * Waiting for a server the sandbox started as a process (a cpr service, Prometheus, Keycloak) until its readiness URL
 * answers 200. Each server says what it checks before every probe (its process still alive, its port not taken by
 * another) and how it reports a timeout; the loop itself is this one.
 */
public final class HttpReadiness {

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    /** Checked before every probe; throws to end the wait, saying why (the process died, its port was taken). */
    @FunctionalInterface
    public interface Guard {
        void check();
    }

    private HttpReadiness() {
    }

    /**
     * Probes {@code url} every {@code interval} until it answers 200 or {@code timeout} passes.
     *
     * @param what the server's name, for the message when the wait is interrupted
     * @return whether it answered 200 in time
     */
    public static boolean await(HttpClient http, URI url, Duration timeout, Duration interval, String what,
            Guard guard) {
        Instant deadline = Instant.now().plus(timeout);
        HttpRequest ready = HttpRequest.newBuilder(url).timeout(PROBE_TIMEOUT).build();
        while (Instant.now().isBefore(deadline)) {
            guard.check();
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return true;
                }
            } catch (IOException notListeningYet) {
                // keep waiting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
        }
        return false;
    }
}
