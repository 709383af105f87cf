package dev.cpr.platform.problem;

/** A request the API refuses, with the status and a title that names what is wrong. */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String title;

    public ProblemException(int status, String title, String detail) {
        super(detail);
        this.status = status;
        this.title = title;
    }

    public static ProblemException badRequest(String title, String detail) {
        return new ProblemException(400, title, detail);
    }

    public static ProblemException badParameter(String parameter, String detail) {
        return new ProblemException(400, "Bad request parameter '" + parameter + "'", detail);
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(404, "Not found", detail);
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(409, "Conflict", detail);
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public Problem toProblem() {
        return Problem.of(status, title, getMessage());
    }
}
