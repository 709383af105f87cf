package dev.cpr.sandbox.bbr;

/** A failure that ends a bbr step; {@code kind} is the exit-code bit it sets. */
final class BbrException extends Exception {

    final int kind;

    BbrException(int kind, String message) {
        super(message);
        this.kind = kind;
    }

    BbrException(int kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }
}
