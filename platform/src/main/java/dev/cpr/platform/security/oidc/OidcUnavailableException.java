package dev.cpr.platform.security.oidc;

/** The OIDC provider could not be asked (down, wrong address, or not the configured issuer). */
public class OidcUnavailableException extends RuntimeException {

    public OidcUnavailableException(String message) {
        super(message);
    }

    public OidcUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
