package dev.cpr.backup.domain.snapshot;

/** A snapshot could not be taken; nothing usable was kept. The message says why. */
public class SnapshotFailedException extends RuntimeException {

    private final String member;

    public SnapshotFailedException(String message, String member, Throwable cause) {
        super(message, cause);
        this.member = member;
    }

    /** The member it was streaming from, or null if none was reachable. */
    public String member() {
        return member;
    }
}
