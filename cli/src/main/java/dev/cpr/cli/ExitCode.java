package dev.cpr.cli;

/**
 * What {@code cpr}'s exit status means, for scripts. Picocli's own: 2 for a usage error.
 */
public final class ExitCode {

    /** It worked (a plan succeeded, a backup verified, every service is up and every cluster healthy). */
    public static final int OK = 0;
    /** The request was answered but the outcome is bad: refused (409, 400), a plan failed, a backup is corrupt, a
     * service is down or a cluster not healthy (status). */
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    /** The console could not be reached (wrong address, not running). */
    public static final int UNREACHABLE = 3;
    /** The console refused the token (401: unknown or expired). */
    public static final int UNAUTHENTICATED = 4;
    /** The token's role may not do this (403). */
    public static final int FORBIDDEN = 5;
    /** No such incident, plan or backup (404). */
    public static final int NOT_FOUND = 6;
    /** The service behind the console that owns this is down (503). */
    public static final int SERVICE_DOWN = 7;

    private ExitCode() {
    }
}
