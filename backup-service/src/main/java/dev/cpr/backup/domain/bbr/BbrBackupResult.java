package dev.cpr.backup.domain.bbr;

import dev.cpr.bosh.bbr.BbrRun;

import dev.cpr.bosh.bbr.BbrVerification;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What one BBR backup came to.
 *
 * @param outcome      VERIFIED: artifact kept and every checksum matched; CORRUPT: kept but refused;
 *                     FELL_BACK: bbr failed because an instance was down, an etcd snapshot was taken instead;
 *                     FAILED: nothing usable
 * @param artifact     the artifact directory (VERIFIED / CORRUPT only)
 * @param runs         every bbr command run, in order (pre-backup-check, backup, backup-cleanup)
 * @param instanceDown the instance bbr found down ({@code master/<uuid>}), if that is why it failed
 * @param fallback     the etcd snapshot taken instead (FELL_BACK only)
 * @param message      one line for people and the catalog
 */
public record BbrBackupResult(String backupId, String clusterId, String kind, Outcome outcome, Path artifact,
        Optional<BbrVerification> verification, List<BbrRun> runs, Optional<String> instanceDown,
        Optional<EtcdFallback.Taken> fallback, String message) {

    public enum Outcome { VERIFIED, CORRUPT, FELL_BACK, FAILED }

    public BbrBackupResult {
        runs = List.copyOf(runs);
    }

    public Optional<BbrRun> run(String subcommand) {
        return runs.stream().filter(r -> r.subcommand().equals(subcommand)).findFirst();
    }
}
