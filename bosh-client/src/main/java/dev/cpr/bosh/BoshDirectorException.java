package dev.cpr.bosh;

/**
 * The director answered with an error status. Its JSON error body {@code {"code":70000,"description":"..."}}
 * gives {@link #code()} and {@link #description()}; a plain-text body (e.g. {@code Endpoint '/x' not found.}
 * for an unknown route) leaves the code null and becomes the description.
 */
public class BoshDirectorException extends BoshException {

    /** Task not found (404). */
    public static final int TASK_NOT_FOUND = 10000;
    /** Deployment not found (404). */
    public static final int DEPLOYMENT_NOT_FOUND = 70000;
    /** Instance not found (404). */
    public static final int INSTANCE_NOT_FOUND = 70001;
    /** Invalid instance index (400). */
    public static final int INSTANCE_INVALID_INDEX = 70002;
    /** Not authorized for the deployment (401). */
    public static final int UNAUTHORIZED = 600000;

    private final String call;
    private final int status;
    private final Integer code;
    private final String description;

    public BoshDirectorException(String call, int status, Integer code, String description) {
        super(call + " failed: HTTP " + status + (code == null ? "" : ", director error " + code) + ": " + description);
        this.call = call;
        this.status = status;
        this.code = code;
        this.description = description;
    }

    /** e.g. {@code GET /deployments/x/problems} */
    public String call() {
        return call;
    }

    public int status() {
        return status;
    }

    /** The director's error code, or null when the body was not a director error. */
    public Integer code() {
        return code;
    }

    public String description() {
        return description;
    }
}
