package dev.cpr.bosh;

/** The director (or its UAA) could not be reached at all: connection refused, unknown host, TLS failure. */
public class BoshUnreachableException extends BoshException {

    public BoshUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
