package dev.cpr.bosh;

/** A call got no answer in time (connect or request timeout), or a task ran longer than allowed. */
public class BoshTimeoutException extends BoshException {

    public BoshTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
