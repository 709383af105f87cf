package dev.cpr.contracts.tls;

/**
 * The TLS files of a cluster cannot be used: missing, unreadable, not PEM, or a client certificate that is not valid
 * now. The message names the cluster, the member being reached (if any) and the file.
 */
public class TlsMaterialException extends RuntimeException {

    private final String file;

    public TlsMaterialException(String message, String file, Throwable cause) {
        super(message, cause);
        this.file = file;
    }

    /** The file at fault. */
    public String file() {
        return file;
    }
}
