package dev.cpr.restore.domain.plans;

/**
 * A manual trigger the plan type refuses: what kind of refusal it is, a short title and the detail. The kind says
 * what is wrong in the domain's words (the request contradicts the inventory or the survey; nothing verified can be
 * restored; the backup catalog cannot be asked); the REST adapter decides which HTTP status each kind is.
 */
public final class TriggerRefused extends RuntimeException {

    public enum Kind { INVALID_REQUEST, NOTHING_RESTORABLE, CATALOG_UNAVAILABLE }

    private final Kind kind;
    private final String title;

    private TriggerRefused(Kind kind, String title, String detail) {
        super(detail);
        this.kind = kind;
        this.title = title;
    }

    public static TriggerRefused badRequest(String title, String detail) {
        return new TriggerRefused(Kind.INVALID_REQUEST, title, detail);
    }

    /** About one request parameter, titled as the platform's problem mapper titles them. */
    public static TriggerRefused badParameter(String parameter, String detail) {
        return new TriggerRefused(Kind.INVALID_REQUEST, "Bad request parameter '" + parameter + "'", detail);
    }

    /** Nothing verified to restore from: the request is fine, the catalog's state refuses it. */
    public static TriggerRefused nothingRestorable(String title, String detail) {
        return new TriggerRefused(Kind.NOTHING_RESTORABLE, title, detail);
    }

    /** backup-service could not be asked which backups there are. */
    public static TriggerRefused catalogUnavailable(String detail) {
        return new TriggerRefused(Kind.CATALOG_UNAVAILABLE, "backup-service unavailable", detail);
    }

    public Kind kind() {
        return kind;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }
}
