package dev.cpr.platform.security.oidc;

/** An OIDC access token that cpr does not accept; the message says why (never the token itself). */
public class InvalidAccessTokenException extends RuntimeException {

    public InvalidAccessTokenException(String message) {
        super(message);
    }
}
