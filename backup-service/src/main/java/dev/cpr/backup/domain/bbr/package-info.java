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
 * <h2>Config ({@code cpr.backup.bbr.*}, {@link dev.cpr.backup.adapters.bbr.BbrConfig})</h2>
 * {@code binary} (default {@code bbr}; sandbox: {@code sandbox/src/main/bbr/bbr}), {@code artifact-path} (default
 * {@code .cpr/bbr}), {@code check-timeout} (10m), {@code backup-timeout} (4h), {@code cleanup-timeout} (30m).
 *
 * <h2>Wiring still to do (owned by the catalog / coordinator)</h2>
 * <ul>
 *   <li>a {@link dev.cpr.backup.domain.bbr.BbrCatalog} bean over the catalog table: {@code kind} =
 *       {@code bbr-deployment} / {@code bbr-director}, {@code location} = the artifact directory, status
 *       in-progress → verified | corrupt | failed, {@code verification} = the detail;</li>
 *   <li>scheduled / manual / RPO backups of a {@code kind: bosh} cluster call
 *       {@link dev.cpr.backup.adapters.bbr.BbrBackups#backupDeployment} on a job thread instead of the plain
 *       snapshot (and {@code backupDirector} for director backups).</li>
 * </ul>
 */
package dev.cpr.backup.domain.bbr;




