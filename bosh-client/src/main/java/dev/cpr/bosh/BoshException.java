package dev.cpr.bosh;

/** Anything that went wrong talking to a BOSH director; the message names the call. */
public class BoshException extends RuntimeException {

    public BoshException(String message) {
        super(message);
    }

    public BoshException(String message, Throwable cause) {
        super(message, cause);
    }
}
