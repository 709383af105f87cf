package dev.cpr.restore.domain.plans;

/**
 * A manual trigger the plan type refuses, with the HTTP status, title and detail REST answers with. The domain
 * names the status (400 for a request the inventory or the survey contradicts, 409 when nothing verified can be
 * restored, 503 when backup-service cannot be asked) because the answer is part of each plan's contract.
 */
public final class TriggerRefused extends RuntimeException {

    private final int status;
    private final String title;

    public TriggerRefused(int status, String title, String detail) {
        super(detail);
        this.status = status;
        this.title = title;
    }

    public static TriggerRefused badRequest(String title, String detail) {
        return new TriggerRefused(400, title, detail);
    }

    /** A 400 about one request parameter, titled as the platform's problem mapper titles them. */
    public static TriggerRefused badParameter(String parameter, String detail) {
        return new TriggerRefused(400, "Bad request parameter '" + parameter + "'", detail);
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }
}
