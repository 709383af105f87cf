package dev.cpr.healthmonitor.adapters.rest;

/** A request the API refuses; mapped to {@code application/problem+json} by {@link ProblemMapper}. */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String title;

    public ProblemException(int status, String title, String detail) {
        super(detail);
        this.status = status;
        this.title = title;
    }

    public static ProblemException badParameter(String parameter, String detail) {
        return new ProblemException(400, "Bad request parameter '" + parameter + "'", detail);
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(404, "Not found", detail);
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }
}
