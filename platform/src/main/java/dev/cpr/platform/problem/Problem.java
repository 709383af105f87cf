package dev.cpr.platform.problem;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem detail, the body of every error of cpr's REST APIs.
 *
 * @param errorId only on a 500: the id under which the failure is in the service's log (its body never carries
 *                the exception's text, which may hold SQL, paths or values of other requests)
 */
public record Problem(String type, String title, int status, String detail,
        @JsonInclude(JsonInclude.Include.NON_NULL) String errorId) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public Problem(String type, String title, int status, String detail) {
        this(type, title, status, detail, null);
    }

    public static Problem of(int status, String title, String detail) {
        return new Problem("about:blank", title, status, detail);
    }

    /** A failure of the service itself: the body says only where to look. */
    public static Problem serverError(int status, String errorId) {
        return new Problem("about:blank", "Internal Server Error", status,
                "the request failed inside the service; its log has the cause under error id " + errorId, errorId);
    }
}
