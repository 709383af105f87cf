package dev.cpr.restore.domain.bbr;

import java.util.Optional;

/**
 * What a plan's {@code bbr ... restore} has done, kept where a restarted restore-service finds it: whether a
 * restore was begun (so a crash in the middle is known, and {@code restore-cleanup} runs before the next try) and
 * whether it finished (so a finished restore is never run again).
 */
public interface BbrRestoreJournal {

    /** Recorded right before {@code bbr ... restore} starts. */
    void begun(String planId);

    /** A restore was begun by this plan and has not finished. */
    boolean wasBegun(String planId);

    /** Recorded when {@code bbr ... restore} exited 0; {@code detail} is the step's output. */
    void finished(String planId, String detail);

    /** What the finished restore recorded; empty while it has not finished. */
    Optional<String> finishedDetail(String planId);
}
