package dev.cpr.platform.problem;

/** An RFC 9457 problem detail, the body of every error of cpr's REST APIs. */
public record Problem(String type, String title, int status, String detail) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem of(int status, String title, String detail) {
        return new Problem("about:blank", title, status, detail);
    }
}
