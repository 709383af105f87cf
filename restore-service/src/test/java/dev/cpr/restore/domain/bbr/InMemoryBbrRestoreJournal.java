package dev.cpr.restore.domain.bbr;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The restore markers in memory (they survive a "crash" as long as the test keeps this object). */
final class InMemoryBbrRestoreJournal implements BbrRestoreJournal {

    private final Set<String> begun = new HashSet<>();
    private final Map<String, String> finished = new HashMap<>();

    @Override
    public void begun(String planId) {
        begun.add(planId);
    }

    @Override
    public boolean wasBegun(String planId) {
        return begun.contains(planId);
    }

    @Override
    public void finished(String planId, String detail) {
        finished.put(planId, detail);
    }

    @Override
    public Optional<String> finishedDetail(String planId) {
        return Optional.ofNullable(finished.get(planId));
    }
}
