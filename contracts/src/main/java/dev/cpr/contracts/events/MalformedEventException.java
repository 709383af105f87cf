package dev.cpr.contracts.events;

/** A record that is not a cpr CloudEvent, or whose payload does not fit its type. Never retried. */
public class MalformedEventException extends RuntimeException {
    public MalformedEventException(String message) {
        super(message);
    }

    public MalformedEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
