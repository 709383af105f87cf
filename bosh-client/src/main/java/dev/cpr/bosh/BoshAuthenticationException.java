package dev.cpr.bosh;

/**
 * The director or its UAA refused our credentials: the UAA token endpoint refused the client, or the director
 * answered 401 to a request made with a token fetched a moment before (renewed once, as bosh-cli does).
 */
public class BoshAuthenticationException extends BoshException {

    private final int status;

    public BoshAuthenticationException(String message, int status) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
