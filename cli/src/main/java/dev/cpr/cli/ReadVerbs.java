package dev.cpr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** What an operator reads: status, incidents, plans, one plan. */
final class ReadVerbs {

    static final Set<String> FINISHED = Set.of("SUCCEEDED", "FAILED", "CANCELLED", "REJECTED", "EXPIRED");

    private ReadVerbs() {
    }

    @Command(name = "status", description = "Every service (up or down) and every cluster: status, members, leader, "
            + "revision, newest verified backup against the RPO, open incidents, plans in progress. Exits 1 unless "
            + "every service is up and every cluster healthy.")
    static final class Status extends Verb {
        @Override
        public Integer call() {
            JsonNode status = client().get("/api/v1/status");
            if (connection.json()) {
                printJson(status);
            } else {
                print(status, out());
            }
            boolean servicesUp = true;
            for (JsonNode s : status.path("services")) {
                servicesUp &= s.path("up").asBoolean();
            }
            boolean healthy = true;
            for (JsonNode c : status.path("clusters")) {
                healthy &= "HEALTHY".equals(c.path("cluster").path("status").asText());
            }
            return servicesUp && healthy ? ExitCode.OK : ExitCode.FAILED;
        }

        static void print(JsonNode status, PrintWriter out) {
            Table services = new Table("SERVICE", "STATE", "URL", "DETAIL");
            for (JsonNode s : status.path("services")) {
                services.row(text(s, "name"), s.path("up").asBoolean() ? "up" : "DOWN", text(s, "url"), text(s, "detail"));
            }
            services.print(out);
            out.println();
            Table clusters = new Table("CLUSTER", "KIND", "STATUS", "MEMBERS", "LEADER", "REVISION", "LAST BACKUP",
                    "INCIDENTS", "PLANS");
            for (JsonNode row : status.path("clusters")) {
                JsonNode c = row.path("cluster");
                List<String> members = new ArrayList<>();
                Long revision = null;
                for (JsonNode m : c.path("members")) {
                    String health = m.path("healthy").isNull() ? "?" : m.path("healthy").asBoolean() ? "ok" : "DOWN";
                    members.add(text(m, "name") + ":" + health);
                    if (m.hasNonNull("revision")) {
                        revision = Math.max(revision == null ? 0 : revision, m.path("revision").asLong());
                    }
                }
                JsonNode backups = row.path("backups");
                String backup = text(backups, "summary") + (backups.path("breached").asBoolean() ? " BREACHED" : "");
                List<String> incidents = new ArrayList<>();
                c.path("openIncidents").forEach(i -> incidents.add(text(i, "failure")));
                List<String> plans = new ArrayList<>();
                row.path("activePlans").forEach(p -> plans.add(text(p, "plan") + " " + text(p, "state")));
                clusters.row(text(c, "id"), text(c, "kind"), text(c, "status"), String.join(" ", members),
                        text(c, "leader"), revision, backup, incidents.isEmpty() ? "-" : String.join(",", incidents),
                        plans.isEmpty() ? "-" : String.join(",", plans));
            }
            clusters.print(out);
            for (JsonNode note : status.path("notes")) {
                out.println("note: " + note.asText());
            }
            out.flush();
        }
    }

    @Command(name = "incidents", description = "Incidents, newest first.")
    static final class Incidents extends Verb {
        @Option(names = "--open", description = "only open ones")
        boolean open;

        @Option(names = "--cluster", paramLabel = "CLUSTER")
        String cluster;

        @Override
        public Integer call() {
            String query = "?open=" + open + (cluster == null ? "" : "&cluster=" + cluster);
            JsonNode incidents = client().get("/api/v1/incidents" + query);
            if (connection.json()) {
                printJson(incidents);
                return ExitCode.OK;
            }
            Table table = new Table("ID", "CLUSTER", "FAILURE", "STATE", "DETECTED", "LASTED", "SUMMARY");
            for (JsonNode i : incidents) {
                table.row(text(i, "id"), text(i, "clusterId"), text(i, "failure"), text(i, "state"),
                        Ages.ago(i.path("detectedAt")), Ages.between(i.path("detectedAt"), i.path("resolvedAt")),
                        text(i, "summary"));
            }
            table.print(out());
            return ExitCode.OK;
        }
    }

    @Command(name = "plans", description = "Recovery plans, newest first, with their progress.")
    static final class Plans extends Verb {
        @Option(names = "--cluster", paramLabel = "CLUSTER")
        String cluster;

        @Option(names = "--watch", description = "draw the table again every few seconds until interrupted")
        boolean watch;

        @Override
        public Integer call() {
            String path = "/api/v1/plans" + (cluster == null ? "" : "?cluster=" + cluster);
            do {
                JsonNode plans = client().get(path);
                if (connection.json()) {
                    printJson(plans);
                } else {
                    if (watch) {
                        out().print("\033[H\033[2J"); // clear the terminal, as watch(1) does
                    }
                    table(plans).print(out());
                }
                if (watch) {
                    pause();
                }
            } while (watch && !Thread.currentThread().isInterrupted());
            return ExitCode.OK;
        }

        static Table table(JsonNode plans) {
            Table table = new Table("ID", "CLUSTER", "PLAN", "STATE", "PROGRESS", "CREATED", "DECIDED BY");
            for (JsonNode p : plans) {
                table.row(text(p, "id"), text(p, "clusterId"), text(p, "plan"), text(p, "state"), progress(p),
                        Ages.ago(p.path("createdAt")), text(p, "decidedBy"));
            }
            return table;
        }
    }

    @Command(name = "plan", description = "One plan: its steps with state, attempts, elapsed time and output.")
    static final class ShowPlan extends Verb {
        @Parameters(paramLabel = "ID", description = "the plan's id")
        String id;

        @Option(names = "--watch", description = "follow it until it ends; exit 0 only if it succeeded")
        boolean watch;

        @Override
        public Integer call() {
            JsonNode plan = client().get("/api/v1/plans/" + id);
            if (!watch) {
                show(plan);
                return ExitCode.OK;
            }
            String last = null;
            while (!FINISHED.contains(plan.path("state").asText())) {
                String line = text(plan, "plan") + " " + text(plan, "state") + " " + progress(plan) + " "
                        + running(plan);
                if (!line.equals(last) && !connection.json()) {
                    out().println(line);
                    out().flush();
                    last = line;
                }
                pause();
                plan = client().get("/api/v1/plans/" + id);
            }
            show(plan);
            return "SUCCEEDED".equals(plan.path("state").asText()) ? ExitCode.OK : ExitCode.FAILED;
        }

        private void show(JsonNode plan) {
            if (connection.json()) {
                printJson(plan);
                return;
            }
            PrintWriter out = out();
            out.printf("plan %s  %s on %s%s  %s  %s%n", text(plan, "id"), text(plan, "plan"), text(plan, "clusterId"),
                    plan.hasNonNull("targetMember") ? " (" + text(plan, "targetMember") + ")" : "",
                    text(plan, "state"), progress(plan));
            if (plan.hasNonNull("decidedBy")) {
                out.println("decided by " + text(plan, "decidedBy") + " " + Ages.ago(plan.path("decidedAt")));
            }
            if (plan.hasNonNull("snapshot")) {
                JsonNode s = plan.path("snapshot");
                out.println("restores snapshot " + text(s, "id") + " taken " + Ages.ago(s.path("createdAt"))
                        + " (revision " + text(s, "revision") + ", " + text(s, "keyCount") + " keys)");
            }
            if (plan.hasNonNull("message")) {
                out.println(text(plan, "message"));
            }
            Table steps = new Table("#", "STEP", "STATE", "ATTEMPTS", "ELAPSED");
            for (JsonNode s : plan.path("steps")) {
                steps.row(text(s, "index"), text(s, "name"), text(s, "state"), text(s, "attempts"),
                        s.hasNonNull("startedAt") ? Ages.between(s.path("startedAt"), s.path("finishedAt")) : "-");
            }
            steps.print(out);
            for (JsonNode s : plan.path("steps")) {
                if (s.hasNonNull("output") && !s.path("output").asText().isBlank()) {
                    out.println("--- " + text(s, "name"));
                    s.path("output").asText().lines().forEach(l -> out.println("    " + l));
                }
            }
            out.flush();
        }
    }

    static String progress(JsonNode plan) {
        long done = 0;
        for (JsonNode s : plan.path("steps")) {
            String state = s.path("state").asText();
            if ("SUCCEEDED".equals(state) || "SKIPPED".equals(state)) {
                done++;
            }
        }
        return Table.bar(done, plan.path("steps").size(), 10);
    }

    static String running(JsonNode plan) {
        for (JsonNode s : plan.path("steps")) {
            if ("RUNNING".equals(s.path("state").asText())) {
                return "(" + s.path("name").asText() + ")";
            }
        }
        return "";
    }

    private static String text(JsonNode node, String field) {
        return Verb.text(node, field);
    }
}
