package dev.cpr.sandbox.support;

/**
 * A server could not bind a port that was free when it was chosen: another process took it in between.
 * Unlike other start-up failures this one is worth retrying on fresh ports (see {@link Ports#retryIfTaken}).
 */
public final class PortTakenException extends IllegalStateException {

    public PortTakenException(String message) {
        super(message);
    }
}
