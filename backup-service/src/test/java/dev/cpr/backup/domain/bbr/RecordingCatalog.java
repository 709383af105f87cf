package dev.cpr.backup.domain.bbr;

import dev.cpr.bosh.bbr.BbrVerification;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A {@link BbrCatalog} that remembers what was recorded (the real one is backup-service's catalog table). */
public final class RecordingCatalog implements BbrCatalog {

    /** One catalog entry as it ended. */
    public record Entry(String id, String clusterId, String kind, String trigger, String status, String location,
            String detail) {
    }

    private final AtomicInteger ids = new AtomicInteger();
    private final List<Entry> entries = new ArrayList<>();

    @Override
    public synchronized String started(String clusterId, String kind, String trigger) {
        String id = "bbr-" + ids.incrementAndGet();
        entries.add(new Entry(id, clusterId, kind, trigger, "in-progress", null, null));
        return id;
    }

    @Override
    public synchronized void verified(String backupId, String artifactDir, BbrVerification verification) {
        set(backupId, "verified", artifactDir, verification.detail());
    }

    @Override
    public synchronized void corrupt(String backupId, String artifactDir, BbrVerification verification) {
        set(backupId, "corrupt", artifactDir, verification.detail());
    }

    @Override
    public synchronized void failed(String backupId, String reason) {
        set(backupId, "failed", null, reason);
    }

    public synchronized Entry get(String id) {
        return entries.stream().filter(e -> e.id().equals(id)).findFirst().orElseThrow();
    }

    public synchronized List<Entry> entries() {
        return List.copyOf(entries);
    }

    private void set(String id, String status, String location, String detail) {
        Entry e = get(id);
        entries.set(entries.indexOf(e), new Entry(id, e.clusterId(), e.kind(), e.trigger(), status, location, detail));
    }
}
