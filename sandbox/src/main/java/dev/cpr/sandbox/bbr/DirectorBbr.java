package dev.cpr.sandbox.bbr;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code bbr director --host HOST --username bbr --private-key-path KEY ...}: backs up and restores the simulated
 * director's own state (its deployment records) over the director VM's "ssh" side, with the director job's
 * lock and unlock scripts around it. Artifact: {@code <host>_<YYYYMMDDTHHMMSSZ>/bosh-0-director.tar} holding
 * {@code ./director-state.json}, and {@code metadata}.
 */
final class DirectorBbr {

    static final String JOB = "director";
    static final String STATE_FILE = "director-state.json";
    static final String TAR = "bosh-0-" + JOB + ".tar";

    private final String host;
    private final String username;
    private final Path privateKey;
    private final BbrLog log;
    private final Clock clock;
    private final Outcome outcome = new Outcome();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private String keySha256;

    DirectorBbr(String host, String username, Path privateKey, BbrLog log, Clock clock) {
        this.host = host.contains(":") ? host : host + ":22";
        this.username = username;
        this.privateKey = privateKey;
        this.log = log;
        this.clock = clock;
    }

    Outcome outcome() {
        return outcome;
    }

    void preBackupCheck() {
        log.info("Running pre-checks for backup of " + hostName() + "...");
        try {
            requireNoLeftovers(storeDir().resolve("bbr-backup"), "backup-cleanup");
            call("GET", "/_sim/director/state", null);
            log.info("Director can be backed up.");
        } catch (BbrException e) {
            outcome.fail(e.kind, e.getMessage());
            log.error("Director cannot be backed up.");
        }
    }

    void backup(Path artifactParent) {
        Instant start = clock.instant();
        log.info("Starting backup of " + hostName() + "...");
        Path remote;
        try {
            remote = storeDir().resolve("bbr-backup");
            requireNoLeftovers(remote, "backup-cleanup");
        } catch (BbrException e) {
            outcome.fail(e.kind, e.getMessage());
            return;
        }
        script("pre-backup-lock", "Locking", Outcome.LOCK);
        if (outcome.ok()) {
            log.info("Backing up " + JOB + " on bosh/0...");
            try {
                Files.createDirectories(remote.resolve(JOB));
                Files.writeString(remote.resolve(JOB).resolve(STATE_FILE), call("GET", "/_sim/director/state", null));
                log.info("Finished backing up " + JOB + " on bosh/0.");
            } catch (IOException | BbrException e) {
                outcome.fail(Outcome.GENERAL, "Error attempting to run backup for job " + JOB + " on bosh/0: "
                        + e.getMessage());
            }
        }
        script("post-backup-unlock", "Unlocking", Outcome.UNLOCK);
        if (outcome.ok()) {
            Path dir = artifactParent.resolve(hostName() + "_" + DeploymentBbr.DIR_TIME.format(start));
            try {
                Files.createDirectories(dir);
                log.info("Copying backup for job " + JOB + " on bosh/0...");
                Map<String, String> checksums = Tar.create(remote.resolve(JOB), dir.resolve(TAR));
                new BackupMetadata(new BackupMetadata.Activity(BackupMetadata.format(start),
                        BackupMetadata.format(clock.instant())),
                        List.of(new BackupMetadata.InstanceArtifacts("bosh", "0",
                                List.of(new BackupMetadata.Artifact(JOB, checksums)))), List.of())
                        .write(dir.resolve("metadata"));
                log.info("Backup created of " + hostName() + " on " + BackupMetadata.format(clock.instant()));
            } catch (IOException e) {
                outcome.fail(Outcome.GENERAL, "Error draining backup into " + dir + ": " + e.getMessage());
            }
        }
        cleanup(remote);
    }

    void restore(Path artifact) {
        log.info("Starting restore of " + hostName() + "...");
        log.info("Validating backup artifact for " + hostName() + "...");
        Path remote;
        try {
            validate(artifact);
            remote = storeDir().resolve("bbr-restore");
            requireNoLeftovers(remote, "restore-cleanup");
        } catch (BbrException e) {
            outcome.fail(e.kind, e.getMessage());
            return;
        }
        script("pre-restore-lock", "Locking", Outcome.LOCK);
        if (outcome.ok()) {
            log.info("Restoring " + JOB + " on bosh/0...");
            try {
                Tar.extract(artifact.resolve(TAR), remote.resolve(JOB));
                call("PUT", "/_sim/director/state", Files.readString(remote.resolve(JOB).resolve(STATE_FILE)));
                log.info("Finished restoring " + JOB + " on bosh/0.");
            } catch (IOException | BbrException e) {
                outcome.fail(Outcome.GENERAL, "Error attempting to run restore for job " + JOB + " on bosh/0: "
                        + e.getMessage());
            }
        }
        script("post-restore-unlock", "Unlocking", Outcome.UNLOCK);
        cleanup(remote);
        if (outcome.ok()) {
            log.info("Completed restore of " + hostName());
        }
    }

    void cleanup(boolean backup) {
        log.info("Starting " + (backup ? "backup" : "restore") + "-cleanup of " + hostName() + "...");
        try {
            script(backup ? "post-backup-unlock" : "post-restore-unlock", "Unlocking", Outcome.UNLOCK);
            cleanup(storeDir().resolve(backup ? "bbr-backup" : "bbr-restore"));
            if (outcome.ok()) {
                log.info("'" + hostName() + "' cleaned up");
            }
        } catch (BbrException e) {
            outcome.fail(Outcome.CLEANUP | e.kind, e.getMessage());
        }
    }

    private void validate(Path artifact) throws BbrException {
        try {
            BackupMetadata metadata = BackupMetadata.read(artifact.resolve("metadata"));
            var entry = metadata.instance("bosh", 0).flatMap(i -> i.artifact(JOB));
            if (entry.isEmpty()) {
                throw new BbrException(Outcome.GENERAL, "Backup artifact " + artifact + " has no " + JOB
                        + " artifact for bosh/0");
            }
            Map<String, String> actual = Tar.checksums(artifact.resolve(TAR));
            if (!actual.equals(entry.get().checksums()) || !actual.containsKey("./" + STATE_FILE)) {
                throw new BbrException(Outcome.GENERAL, "Backup artifact " + artifact + " is corrupted: checksum "
                        + "mismatch in " + TAR + ": metadata says " + entry.get().checksums() + ", the file holds "
                        + actual);
            }
        } catch (IOException e) {
            throw new BbrException(Outcome.GENERAL, "Backup artifact " + artifact + " is invalid: " + e.getMessage(), e);
        }
    }

    private void script(String script, String verb, int kind) {
        log.info("Running " + script + " scripts...");
        log.info(verb + " " + JOB + " on bosh/0...");
        try {
            call("POST", "/_sim/director/scripts/" + script, "");
            log.info("Finished " + verb.toLowerCase() + " " + JOB + " on bosh/0.");
        } catch (BbrException e) {
            outcome.fail(kind, "Error attempting to run " + script + " for job " + JOB + " on bosh/0: "
                    + e.getMessage());
        }
        log.info("Finished running " + script + " scripts.");
    }

    private void cleanup(Path dir) {
        try {
            LocalDirs.delete(dir);
        } catch (IOException e) {
            outcome.fail(Outcome.CLEANUP, "Unable to clean up " + dir + " on bosh/0: " + e.getMessage());
        }
    }

    private void requireNoLeftovers(Path dir, String cleanup) throws BbrException {
        if (Files.exists(dir)) {
            throw new BbrException(Outcome.GENERAL, "Directory /var/vcap/store/" + dir.getFileName()
                    + " already exists on instance bosh/0 (" + dir + "); run bbr director " + cleanup + " first");
        }
    }

    private Path storeDir() throws BbrException {
        return Path.of(call("GET", "/_sim/director/store", null).trim());
    }

    private String hostName() {
        return host.substring(0, host.lastIndexOf(':'));
    }

    private String call(String method, String path, String body) throws BbrException {
        if (keySha256 == null) {
            try {
                keySha256 = Tar.sha256(privateKey);
            } catch (IOException e) {
                throw new BbrException(Outcome.GENERAL, "failed to read private key " + privateKey + ": "
                        + e.getMessage(), e);
            }
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + host + path))
                .timeout(Duration.ofSeconds(30))
                .header("X-Bbr-User", username)
                .header("X-Bbr-Key-Sha256", keySha256)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new BbrException(Outcome.GENERAL, response.body().trim());
            }
            return response.body();
        } catch (IOException e) {
            throw new BbrException(Outcome.GENERAL, "ssh: dial tcp " + host + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BbrException(Outcome.GENERAL, "interrupted", e);
        }
    }
}
