package dev.cpr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Backups: list, save (and wait for the restore drill's verdict), verify, download. */
final class BackupVerbs {

    /** What a backup ends as; anything else is still in progress. */
    static final Set<String> SETTLED = Set.of("verified", "corrupt", "failed");

    private BackupVerbs() {
    }

    @Command(name = "backups", description = "Backups, newest first: kind, state, size, revision, keys, drill result.")
    static final class Backups extends Verb {
        @Parameters(paramLabel = "CLUSTER", arity = "0..1", description = "only this cluster's")
        String cluster;

        @Override
        public Integer call() {
            JsonNode backups = client().get("/api/v1/backups" + (cluster == null ? "" : "?cluster=" + cluster));
            if (connection.json()) {
                printJson(backups);
                return ExitCode.OK;
            }
            Table table = new Table("ID", "CLUSTER", "KIND", "STATUS", "SIZE", "REVISION", "KEYS", "TAKEN", "DRILL");
            for (JsonNode b : backups) {
                table.row(text(b, "backupId"), text(b, "clusterId"), text(b, "kind"), text(b, "status"),
                        text(b, "sizeBytes"), text(b, "revision"), text(b, "keyCount"), Ages.ago(b.path("createdAt")),
                        text(b, "verification"));
            }
            table.print(out());
            return ExitCode.OK;
        }
    }

    @Command(name = "backup", description = "Save, verify or download one backup.",
            subcommands = {Save.class, Verify.class, Download.class})
    static final class Backup {
    }

    @Command(name = "save", description = "Start a backup of a cluster now.")
    static final class Save extends Verb {
        @Parameters(paramLabel = "CLUSTER")
        String cluster;

        @Option(names = "--kind", paramLabel = "KIND", description = "etcd-v3-snapshot (default), bbr-deployment, "
                + "bbr-director")
        String kind;

        @Option(names = "--wait", description = "wait for the verdict (verified: exit 0; corrupt or failed: exit 1)")
        boolean await;

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("cluster", cluster);
            if (kind != null) {
                body.put("kind", kind);
            }
            JsonNode backup = client().post("/api/v1/backups", body).body();
            String id = text(backup, "backupId");
            if (!await) {
                report(backup);
                return ExitCode.OK;
            }
            long started = System.nanoTime();
            String spinner = "|/-\\";
            int turn = 0;
            while (!SETTLED.contains(text(backup, "status"))) {
                if (!connection.json()) {
                    err().printf("\r%c backup %s of %s: %s (%s)   ", spinner.charAt(turn++ % 4), shortId(id), cluster,
                            text(backup, "status"), Ages.human(java.time.Duration.ofNanos(System.nanoTime() - started)));
                    err().flush();
                }
                pause();
                backup = client().get("/api/v1/backups/" + id);
            }
            if (!connection.json()) {
                err().println();
            }
            report(backup);
            return "verified".equals(text(backup, "status")) ? ExitCode.OK : ExitCode.FAILED;
        }

        private void report(JsonNode backup) {
            if (connection.json()) {
                printJson(backup);
            } else {
                out().println("backup " + text(backup, "backupId") + " of " + text(backup, "clusterId") + ": "
                        + text(backup, "status") + (backup.hasNonNull("revision") ? ", revision "
                        + text(backup, "revision") + ", " + text(backup, "keyCount") + " keys" : "")
                        + (backup.hasNonNull("verification") ? " (" + text(backup, "verification") + ")" : ""));
                out().flush();
            }
        }
    }

    @Command(name = "verify", description = "Run a restore drill of a backup now (exit 0 only if it is verified).")
    static final class Verify extends Verb {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            JsonNode backup = client().post("/api/v1/backups/" + id + "/verify", null).body();
            if (connection.json()) {
                printJson(backup);
            } else {
                out().println("backup " + text(backup, "backupId") + ": " + text(backup, "status")
                        + (backup.hasNonNull("verification") ? " (" + text(backup, "verification") + ")" : ""));
                out().flush();
            }
            return "verified".equals(text(backup, "status")) ? ExitCode.OK : ExitCode.FAILED;
        }
    }

    @Command(name = "download", description = "Download a verified etcd snapshot; its sha256 is checked against the "
            + "catalog's.")
    static final class Download extends Verb {
        @Parameters(paramLabel = "ID")
        String id;

        @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "where to write it (default: "
                + "<id>.db in the current directory)")
        Path file;

        @Override
        public Integer call() {
            Path target = file != null ? file : Path.of(id + ".db");
            long bytes = client().download("/api/v1/backups/" + id + "/download", target);
            if (connection.json()) {
                printJson(new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
                        .put("backupId", id).put("file", target.toAbsolutePath().toString()).put("bytes", bytes));
            } else {
                out().println("wrote " + target + " (" + bytes + " bytes, sha256 checked)");
                out().flush();
            }
            return ExitCode.OK;
        }
    }
}
