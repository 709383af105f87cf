package dev.cpr.sandbox.oidc;

/** Keycloak's token endpoint refused a grant (a wrong password answers 401, an unknown client 400 or 401). */
public final class TokenRefusedException extends RuntimeException {

    private final int status;

    public TokenRefusedException(int status, String body) {
        super("the token endpoint answered " + status + ": " + body);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
