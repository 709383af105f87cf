package dev.cpr.backup.app;

import java.util.Optional;

/**
 * A request app refuses (no such backup, a backup in the wrong state, a bad cluster or option): what is wrong, in
 * app's words. The REST adapter decides which HTTP status each reason is; a Kafka consumer just logs it.
 */
public class BackupRequestRefused extends RuntimeException {

    public enum Reason { NOT_FOUND, CONFLICT, BAD_REQUEST, BAD_PARAMETER }

    private final Reason reason;
    private final String parameter;

    private BackupRequestRefused(Reason reason, String parameter, String detail) {
        super(detail);
        this.reason = reason;
        this.parameter = parameter;
    }

    public static BackupRequestRefused notFound(String detail) {
        return new BackupRequestRefused(Reason.NOT_FOUND, null, detail);
    }

    public static BackupRequestRefused conflict(String detail) {
        return new BackupRequestRefused(Reason.CONFLICT, null, detail);
    }

    public static BackupRequestRefused badRequest(String detail) {
        return new BackupRequestRefused(Reason.BAD_REQUEST, null, detail);
    }

    public static BackupRequestRefused badParameter(String parameter, String detail) {
        return new BackupRequestRefused(Reason.BAD_PARAMETER, parameter, detail);
    }

    public Reason reason() {
        return reason;
    }

    /** The request parameter at fault, for {@link Reason#BAD_PARAMETER}. */
    public Optional<String> parameter() {
        return Optional.ofNullable(parameter);
    }
}
