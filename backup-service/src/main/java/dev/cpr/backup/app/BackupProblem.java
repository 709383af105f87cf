package dev.cpr.backup.app;

/** A request the service refuses, with the HTTP status it maps to and a title for problem+json. */
public class BackupProblem extends RuntimeException {

    private final int status;
    private final String title;

    public BackupProblem(int status, String title, String detail) {
        super(detail);
        this.status = status;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public static BackupProblem badRequest(String detail) {
        return new BackupProblem(400, "Bad request", detail);
    }

    public static BackupProblem notFound(String detail) {
        return new BackupProblem(404, "Not found", detail);
    }

    public static BackupProblem conflict(String detail) {
        return new BackupProblem(409, "Conflict", detail);
    }
}
