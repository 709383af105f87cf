package dev.cpr.bosh.bbr;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@code bbr} exit code, decoded by meaning. bbr ORs its error kinds together: 1 general error, 4 lock error
 * (a pre-backup-lock / pre-restore-lock script failed), 8 unlock error (post-backup-unlock / post-restore-unlock),
 * 16 cleanup error (the instances' backup directories could not be removed: run {@code backup-cleanup}). An exit
 * code above 128 is a process killed by signal {@code code - 128} (e.g. 137: SIGKILL), not a bbr verdict.
 */
public record BbrExitCode(int code) {

    public static final int GENERAL = 1;
    public static final int LOCK = 4;
    public static final int UNLOCK = 8;
    public static final int CLEANUP = 16;
    private static final int KNOWN = GENERAL | LOCK | UNLOCK | CLEANUP;

    public static BbrExitCode of(int code) {
        return new BbrExitCode(code);
    }

    public boolean success() {
        return code == 0;
    }

    public boolean killedBySignal() {
        return code > 128;
    }

    public boolean general() {
        return has(GENERAL);
    }

    public boolean lock() {
        return has(LOCK);
    }

    public boolean unlock() {
        return has(UNLOCK);
    }

    public boolean cleanup() {
        return has(CLEANUP);
    }

    private boolean has(int bit) {
        return code > 0 && !killedBySignal() && (code & bit) != 0;
    }

    /** The meanings, e.g. {@code [general error, lock error]}; empty on success. */
    public List<String> meanings() {
        List<String> out = new ArrayList<>();
        if (code == 0) {
            return out;
        }
        if (killedBySignal()) {
            out.add("killed by signal " + (code - 128));
            return out;
        }
        if (code < 0) {
            out.add("did not exit normally");
            return out;
        }
        if (general()) {
            out.add("general error");
        }
        if (lock()) {
            out.add("lock error (a pre-lock script failed)");
        }
        if (unlock()) {
            out.add("unlock error (a post-unlock script failed: jobs may still be locked)");
        }
        if (cleanup()) {
            out.add("cleanup error (run backup-cleanup)");
        }
        int unknown = code & ~KNOWN;
        if (unknown != 0) {
            out.add("unknown bits " + unknown);
        }
        return out;
    }

    /** {@code exit 5: general error, lock error (a pre-lock script failed)}. */
    public String message() {
        return success() ? "exit 0: success" : "exit " + code + ": " + String.join(", ", meanings());
    }

    @Override
    public String toString() {
        return message();
    }
}
