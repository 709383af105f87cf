/**
 * BBR (BOSH Backup and Restore) backups of {@code kind: bosh} clusters (issue 6, item 5).
 *
 * <h2>What happens</h2>
 * {@link dev.cpr.backup.domain.bbr.BbrBackupService}: catalog in progress → {@code bbr deployment|director ...
 * pre-backup-check} → {@code backup --artifact-path <cpr.backup.bbr.artifact-path>/<cluster>} → on failure, timeout
 * or kill: {@code backup-cleanup} and the partial artifact directory deleted → on success
 * {@link dev.cpr.bosh.bbr.BbrArtifactVerifier} (in bosh-client, shared with restore-service) (metadata parsed, every sha256 of every file in every tar,
 * every expected instance) → catalog {@code verified} or {@code corrupt}. Exit codes are decoded by meaning
 * ({@link dev.cpr.bosh.bbr.BbrExitCode}: 1 general, 4 lock, 8 unlock, 16 cleanup, ORed; above 128 a kill).
 * A deployment backup that failed because one instance was down (seed 001) falls back to an etcd snapshot from a
 * healthy member ({@link dev.cpr.backup.domain.bbr.EtcdFallback}); the result and the catalog entry say
 * {@code FELL BACK}. The client secret is passed as {@code BOSH_CLIENT_SECRET} (bbr's env var for
 * {@code --password}), never on the command line.
 *
 * <h2>Config ({@code cpr.backup.bbr.*}, {@link dev.cpr.backup.config.BbrConfig})</h2>
 * {@code binary} (default {@code bbr}; sandbox: {@code sandbox/src/main/bbr/bbr}), {@code artifact-path} (default
 * {@code .cpr/bbr}), {@code check-timeout} (10m), {@code backup-timeout} (4h), {@code cleanup-timeout} (30m).
 *
 * <h2>Wiring</h2>
 * {@link dev.cpr.backup.app.BbrBackupCatalog} is the {@link dev.cpr.backup.domain.bbr.BbrCatalog}: rows of the
 * catalog table with {@code kind} {@code bbr-deployment} / {@code bbr-director}, {@code location} the artifact
 * directory, in-progress → verified | corrupt | failed, {@code verification} the detail; published on
 * {@code cpr.backups}. {@link dev.cpr.backup.app.BbrBackups} claims the row and runs the backup on a bbr job thread:
 * {@code POST /api/v1/backups} with a bbr {@code kind}, a bosh cluster's {@code backup.schedule} and RPO attempts
 * (deployment), {@code cpr.backup.bbr.director-schedule} (director).
 */
package dev.cpr.backup.domain.bbr;
