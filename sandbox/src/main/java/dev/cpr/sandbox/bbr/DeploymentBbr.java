package dev.cpr.sandbox.bbr;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.contracts.inventory.TlsSpec;
import dev.cpr.sandbox.etcd.EtcdCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code bbr deployment ...}: backs up and restores the etcd of a deployment's masters through their
 * {@code bbr-etcd} jobs, in bbr's order (lock, backup, unlock; validate, lock, restore, unlock) and artifact
 * layout ({@code <deployment>_<YYYYMMDDTHHMMSSZ>/}, one tar per job, {@code metadata}).
 *
 * <p>Backup: every master's backup script saves a snapshot of its own member, so one master down fails the whole
 * backup (seed 001). Restore: every member is restored from the <b>bootstrap</b> master's snapshot (one point in
 * time; the others' snapshots are validated but not used) with a new cluster token, then all are started.
 */
final class DeploymentBbr {

    static final DateTimeFormatter DIR_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final Duration UNLOCK_HEALTH_TIMEOUT = Duration.ofSeconds(60);

    private final DirectorApi director;
    private final String deployment;
    private final BbrLog log;
    private final Clock clock;
    private final Outcome outcome = new Outcome();
    private JsonNode ssh;

    DeploymentBbr(DirectorApi director, String deployment, BbrLog log, Clock clock) {
        this.director = director;
        this.deployment = deployment;
        this.log = log;
        this.clock = clock;
    }

    Outcome outcome() {
        return outcome;
    }

    // ---------------------------------------------------------------- commands

    void preBackupCheck() {
        log.info("Running pre-checks for backup of " + deployment + "...");
        try {
            List<EtcdJob> jobs = backupJobs();
            requireNoLeftovers(jobs, true);
            log.info("Deployment '" + deployment + "' can be backed up.");
        } catch (BbrException e) {
            outcome.fail(e.kind, e.getMessage());
            log.error("Deployment '" + deployment + "' cannot be backed up.");
        }
    }

    void backup(Path artifactParent, boolean withManifest) {
        Instant start = clock.instant();
        log.info("Starting backup of " + deployment + "...");
        List<EtcdJob> jobs;
        try {
            jobs = backupJobs();
            requireNoLeftovers(jobs, true);
        } catch (BbrException e) {
            outcome.fail(e.kind, e.getMessage());
            return;
        }
        runScripts("pre-backup-lock", jobs, "Locking", "for backup", Outcome.LOCK);
        if (outcome.ok()) {
            log.info("Running backup scripts...");
            for (EtcdJob job : jobs) {
                log.info("Backing up " + EtcdJob.NAME + " on " + job.vm().name() + "...");
                try {
                    job.backup(job.vm().backupDir().resolve(EtcdJob.NAME));
                    log.info("Finished backing up " + EtcdJob.NAME + " on " + job.vm().name() + ".");
                } catch (BbrException e) {
                    outcome.fail(Outcome.GENERAL, e.getMessage());
                }
            }
            log.info("Finished running backup scripts.");
        }
        runScripts("post-backup-unlock", jobs, "Unlocking", "", Outcome.UNLOCK);
        if (!outcome.failed(Outcome.GENERAL) && !outcome.failed(Outcome.LOCK)) {
            drain(jobs, artifactParent, start, withManifest);
        }
        cleanup(jobs, true);
    }

    void restore(Path artifact) {
        log.info("Starting restore of " + deployment + "...");
        log.info("Validating backup artifact for " + deployment + "...");
        List<EtcdJob> jobs;
        Path bootstrapTar;
        try {
            jobs = backupJobs();
            bootstrapTar = validate(artifact, jobs);
            requireNoLeftovers(jobs, false);
        } catch (BbrException e) {
            outcome.fail(e.kind, e.getMessage());
            return;
        }
        log.info("Looking for scripts");
        for (EtcdJob job : jobs) {
            for (String script : List.of("backup", "metadata", "post-restore-unlock", "pre-restore-lock", "restore")) {
                log.info(job.vm().name() + "/" + EtcdJob.NAME + "/" + script);
            }
        }
        log.info("Running pre-restore-lock scripts...");
        for (EtcdJob job : jobs) {
            log.info("Locking " + EtcdJob.NAME + " on " + job.vm().name() + " for restore...");
            try {
                job.stop();
                log.info("Finished locking " + EtcdJob.NAME + " on " + job.vm().name() + " for restore.");
            } catch (BbrException e) {
                outcome.fail(e.kind, e.getMessage());
            }
        }
        log.info("Finished running pre-restore-lock scripts.");
        String token = deployment + "-bbr-restore-" + clock.instant().getEpochSecond();
        if (outcome.ok()) {
            restoreMembers(jobs, bootstrapTar, token);
        }
        unlockAfterRestore(jobs);
        cleanup(jobs, false);
        if (outcome.ok()) {
            log.info("Completed restore of " + deployment);
        }
    }

    void backupCleanup() {
        log.info("Starting backup-cleanup of " + deployment + "...");
        try {
            List<EtcdJob> jobs = backupJobs();
            runScripts("post-backup-unlock", jobs, "Unlocking", "", Outcome.UNLOCK);
            cleanup(jobs, true);
            if (outcome.ok()) {
                log.info("'" + deployment + "' cleaned up");
            }
        } catch (BbrException e) {
            outcome.fail(Outcome.CLEANUP | e.kind, e.getMessage());
        }
    }

    void restoreCleanup() {
        log.info("Starting restore-cleanup of " + deployment + "...");
        try {
            List<EtcdJob> jobs = backupJobs();
            if (jobs.stream().anyMatch(j -> !j.isRunning())) {
                unlockAfterRestore(jobs);
            }
            cleanup(jobs, false);
            if (outcome.ok()) {
                log.info("'" + deployment + "' cleaned up");
            }
        } catch (BbrException e) {
            outcome.fail(Outcome.CLEANUP | e.kind, e.getMessage());
        }
    }

    // ---------------------------------------------------------------- steps

    /** Every instance that has the bbr-etcd job, its VM reachable. */
    private List<EtcdJob> backupJobs() throws BbrException {
        if (ssh == null) {
            ssh = director.get("/_sim/deployments/" + DirectorApi.segment(deployment) + "/ssh");
        }
        List<EtcdJob> jobs = new ArrayList<>();
        List<String> unreachable = new ArrayList<>();
        for (VmAccess vm : VmAccess.parse(ssh)) {
            if (!vm.bbrJobs().contains(EtcdJob.NAME) || vm.member() == null) {
                continue;
            }
            try {
                vm.connect();
                jobs.add(new EtcdJob(vm));
            } catch (BbrException e) {
                unreachable.add(e.getMessage());
            }
        }
        if (!unreachable.isEmpty()) {
            throw new BbrException(Outcome.GENERAL, String.join("\n", unreachable));
        }
        if (jobs.isEmpty()) {
            throw new BbrException(Outcome.GENERAL, "Deployment '" + deployment + "' has no backup scripts");
        }
        return jobs;
    }

    private void requireNoLeftovers(List<EtcdJob> jobs, boolean backup) throws BbrException {
        for (EtcdJob job : jobs) {
            Path dir = backup ? job.vm().backupDir() : job.vm().restoreDir();
            if (Files.exists(dir)) {
                throw new BbrException(Outcome.GENERAL, "Directory /var/vcap/store/" + dir.getFileName()
                        + " already exists on instance " + job.vm().name() + " (" + dir + "); run bbr deployment "
                        + (backup ? "backup-cleanup" : "restore-cleanup") + " first");
            }
        }
    }

    /** Runs a lock or unlock script on every job (bbr-etcd's backup locks do not stop etcd). */
    private void runScripts(String script, List<EtcdJob> jobs, String verb, String suffix, int kind) {
        log.info("Running " + script + " scripts...");
        for (EtcdJob job : jobs) {
            String what = verb + " " + EtcdJob.NAME + " on " + job.vm().name() + (suffix.isEmpty() ? "" : " " + suffix);
            log.info(what + "...");
            try {
                job.vm().connect();
                log.info("Finished " + what.substring(0, 1).toLowerCase() + what.substring(1) + ".");
            } catch (BbrException e) {
                outcome.fail(kind, "Error attempting to run " + script + " for job " + EtcdJob.NAME + " on "
                        + job.vm().name() + ": " + e.getMessage());
            }
        }
        log.info("Finished running " + script + " scripts.");
    }

    /** Copies each job's backup into the artifact as one tar, checks it, writes the metadata. */
    private void drain(List<EtcdJob> jobs, Path artifactParent, Instant start, boolean withManifest) {
        Path dir = artifactParent.resolve(deployment + "_" + DIR_TIME.format(start));
        try {
            Files.createDirectories(dir);
            List<BackupMetadata.InstanceArtifacts> instances = new ArrayList<>();
            for (EtcdJob job : jobs) {
                Path remote = job.vm().backupDir().resolve(EtcdJob.NAME);
                long size = Files.size(remote.resolve(EtcdJob.SNAPSHOT));
                log.info("Copying backup -- " + (size / 1024) + "K uncompressed -- for job " + EtcdJob.NAME + " on "
                        + job.vm().name() + "...");
                Map<String, String> remoteChecksums = Map.of("./" + EtcdJob.SNAPSHOT,
                        Tar.sha256(remote.resolve(EtcdJob.SNAPSHOT)));
                Path tar = dir.resolve(job.vm().tarName(EtcdJob.NAME));
                Tar.create(remote, tar);
                Map<String, String> local = Tar.checksums(tar);
                if (!local.equals(remoteChecksums)) {
                    throw new IOException("Backup artifact is corrupted: " + tar.getFileName() + " checksums " + local
                            + " differ from the remote " + remoteChecksums);
                }
                log.info("Finished copying backup -- for job " + EtcdJob.NAME + " on " + job.vm().name() + "...");
                instances.add(new BackupMetadata.InstanceArtifacts(job.vm().group(),
                        Integer.toString(job.vm().index()), List.of(new BackupMetadata.Artifact(EtcdJob.NAME, local))));
            }
            if (withManifest) {
                JsonNode manifest = director.get("/deployments/" + DirectorApi.segment(deployment));
                Files.writeString(dir.resolve("manifest.yml"), manifest.path("manifest").asText());
            }
            new BackupMetadata(new BackupMetadata.Activity(BackupMetadata.format(start),
                    BackupMetadata.format(clock.instant())), instances, List.of()).write(dir.resolve("metadata"));
            log.info("Backup created of " + deployment + " on " + BackupMetadata.format(clock.instant()));
        } catch (IOException | BbrException e) {
            outcome.fail(Outcome.GENERAL, "Error draining backup of " + deployment + " into " + dir + ": "
                    + e.getMessage());
        }
    }

    /** Every master and checksum of the artifact matches the deployment; returns the bootstrap master's tar. */
    private Path validate(Path artifact, List<EtcdJob> jobs) throws BbrException {
        BackupMetadata metadata;
        try {
            metadata = BackupMetadata.read(artifact.resolve("metadata"));
        } catch (IOException e) {
            throw new BbrException(Outcome.GENERAL, "Backup artifact " + artifact + " is invalid: " + e.getMessage(), e);
        }
        List<String> problems = new ArrayList<>();
        for (BackupMetadata.InstanceArtifacts instance : metadata.instances()) {
            boolean known = jobs.stream().anyMatch(j -> j.vm().group().equals(instance.name())
                    && Integer.toString(j.vm().index()).equals(instance.index()));
            if (!known) {
                problems.add("the backup has instance " + instance.name() + "/" + instance.index()
                        + ", which deployment '" + deployment + "' does not have");
            }
        }
        Path bootstrapTar = null;
        for (EtcdJob job : jobs) {
            VmAccess vm = job.vm();
            var entry = metadata.instance(vm.group(), vm.index()).flatMap(i -> i.artifact(EtcdJob.NAME));
            if (entry.isEmpty()) {
                problems.add("the backup has no " + EtcdJob.NAME + " artifact for " + vm.group() + "/" + vm.index());
                continue;
            }
            Path tar = artifact.resolve(vm.tarName(EtcdJob.NAME));
            if (!Files.isRegularFile(tar)) {
                problems.add("missing file " + tar.getFileName());
                continue;
            }
            try {
                Map<String, String> actual = Tar.checksums(tar);
                Map<String, String> expected = entry.get().checksums() == null ? Map.of() : entry.get().checksums();
                if (!actual.equals(expected)) {
                    problems.add("checksum mismatch in " + tar.getFileName() + ": metadata says " + expected
                            + ", the file holds " + actual);
                } else if (!actual.containsKey("./" + EtcdJob.SNAPSHOT)) {
                    problems.add(tar.getFileName() + " holds no ./" + EtcdJob.SNAPSHOT);
                }
            } catch (IOException | RuntimeException e) {
                problems.add("cannot read " + tar.getFileName() + ": " + e.getMessage());
            }
            if (vm.bootstrap()) {
                bootstrapTar = tar;
            }
        }
        if (bootstrapTar == null && problems.isEmpty()) {
            problems.add("no bootstrap master in deployment '" + deployment + "'");
        }
        if (!problems.isEmpty()) {
            throw new BbrException(Outcome.GENERAL, "Backup artifact " + artifact + " is corrupted or does not match"
                    + " deployment '" + deployment + "': " + String.join("; ", problems));
        }
        return bootstrapTar;
    }

    private void restoreMembers(List<EtcdJob> jobs, Path bootstrapTar, String token) {
        log.info("Running restore scripts...");
        String initialCluster = String.join(",", jobs.stream()
                .map(j -> j.member().name() + "=" + j.member().peerUrl()).toList());
        for (EtcdJob job : jobs) {
            log.info("Restoring " + EtcdJob.NAME + " on " + job.vm().name() + "...");
            try {
                Path dir = job.vm().restoreDir().resolve(EtcdJob.NAME);
                Tar.extract(bootstrapTar, dir);
                job.restore(dir.resolve(EtcdJob.SNAPSHOT), initialCluster, token);
                log.info("Finished restoring " + EtcdJob.NAME + " on " + job.vm().name() + ".");
            } catch (IOException e) {
                outcome.fail(Outcome.GENERAL, "Error attempting to run restore for job " + EtcdJob.NAME + " on "
                        + job.vm().name() + ": " + e.getMessage());
            } catch (BbrException e) {
                outcome.fail(e.kind, e.getMessage());
            }
        }
        log.info("Finished running restore scripts.");
    }

    /** post-restore-unlock: start every member, then wait until all are healthy. */
    private void unlockAfterRestore(List<EtcdJob> jobs) {
        log.info("Running post-restore-unlock scripts...");
        List<MemberSpec> members = jobs.stream().map(EtcdJob::member).toList();
        // the health wait below presents the jobs' client certificate to masters that serve TLS
        TlsSpec tls = jobs.isEmpty() ? null : jobs.get(0).vm().memberTls();
        ClusterSpec cluster = EtcdJob.cluster(deployment, ssh.path("cluster_token").asText(deployment), tls, members);
        for (EtcdJob job : jobs) {
            log.info("Unlocking " + EtcdJob.NAME + " on " + job.vm().name() + "...");
            try {
                job.start(cluster);
            } catch (BbrException e) {
                outcome.fail(e.kind, e.getMessage());
            }
        }
        try (EtcdCluster attached = EtcdCluster.attach(cluster)) {
            attached.awaitHealthy(UNLOCK_HEALTH_TIMEOUT);
            for (EtcdJob job : jobs) {
                log.info("Finished unlocking " + EtcdJob.NAME + " on " + job.vm().name() + ".");
            }
        } catch (RuntimeException e) {
            outcome.fail(Outcome.UNLOCK, "Error attempting to run post-restore-unlock for job " + EtcdJob.NAME
                    + ": etcd is not healthy after restore: " + e.getMessage());
        }
        log.info("Finished running post-restore-unlock scripts.");
    }

    private void cleanup(List<EtcdJob> jobs, boolean backup) {
        for (EtcdJob job : jobs) {
            Path dir = backup ? job.vm().backupDir() : job.vm().restoreDir();
            try {
                LocalDirs.delete(dir);
            } catch (IOException e) {
                outcome.fail(Outcome.CLEANUP, "Unable to clean up " + dir + " on " + job.vm().name() + ": "
                        + e.getMessage());
            }
        }
    }
}
