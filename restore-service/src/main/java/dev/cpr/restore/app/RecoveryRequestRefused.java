package dev.cpr.restore.app;

import dev.cpr.restore.domain.plans.TriggerRefused;

/**
 * A request the app refuses (a bad trigger, an unknown plan, a plan in the wrong state, a caller without the role):
 * what is wrong, in the app's words, with the title and detail the answer carries. The REST adapter decides which
 * HTTP status each reason is; the Kafka consumers only log it.
 */
public class RecoveryRequestRefused extends RuntimeException {

    public enum Reason { BAD_REQUEST, NOT_FOUND, CONFLICT, FORBIDDEN, UNAVAILABLE }

    private final Reason reason;
    private final String title;

    private RecoveryRequestRefused(Reason reason, String title, String detail) {
        super(detail);
        this.reason = reason;
        this.title = title;
    }

    public static RecoveryRequestRefused badRequest(String title, String detail) {
        return new RecoveryRequestRefused(Reason.BAD_REQUEST, title, detail);
    }

    public static RecoveryRequestRefused badParameter(String parameter, String detail) {
        return badRequest("Bad request parameter '" + parameter + "'", detail);
    }

    public static RecoveryRequestRefused notFound(String detail) {
        return new RecoveryRequestRefused(Reason.NOT_FOUND, "Not found", detail);
    }

    public static RecoveryRequestRefused conflict(String detail) {
        return new RecoveryRequestRefused(Reason.CONFLICT, "Conflict", detail);
    }

    public static RecoveryRequestRefused forbidden(String detail) {
        return new RecoveryRequestRefused(Reason.FORBIDDEN, "Forbidden", detail);
    }

    /** A plan type's refusal of a manual trigger, kept with its own title. */
    public static RecoveryRequestRefused of(TriggerRefused refused) {
        Reason reason = switch (refused.kind()) {
            case INVALID_REQUEST -> Reason.BAD_REQUEST;
            case NOTHING_RESTORABLE -> Reason.CONFLICT;
            case CATALOG_UNAVAILABLE -> Reason.UNAVAILABLE;
        };
        return new RecoveryRequestRefused(reason, refused.title(), refused.detail());
    }

    public Reason reason() {
        return reason;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }
}
