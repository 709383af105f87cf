package dev.cpr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cpr.contracts.recovery.PlanNames;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** What an operator does to plans: approve, reject, cancel, and start one by hand. */
final class ActionVerbs {

    private ActionVerbs() {
    }

    /** approve, reject and cancel: the console passes them to restore-service with this token (its audit names it). */
    abstract static class Decide extends Verb {
        @Parameters(paramLabel = "ID", description = "the plan's id")
        String id;

        @Option(names = "--reason", paramLabel = "TEXT", description = "recorded with the decision")
        String reason;

        abstract String action();

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            if (reason != null) {
                body.put("reason", reason);
            }
            ConsoleClient.Reply reply = client().post("/api/v1/plans/" + id + "/" + action(), body);
            if (connection.json()) {
                printJson(reply.body());
            } else {
                JsonNode r = reply.body();
                out().println("plan " + text(r, "planId") + ": " + text(r, "state")
                        + (r.hasNonNull("detail") ? " (" + text(r, "detail") + ")" : ""));
                out().flush();
            }
            return ExitCode.OK;
        }
    }

    @Command(name = "approve", description = "Approve a plan waiting for approval (exit 1 if it is not waiting).")
    static final class Approve extends Decide {
        @Override
        String action() {
            return "approve";
        }
    }

    @Command(name = "reject", description = "Reject a plan waiting for approval.")
    static final class Reject extends Decide {
        @Override
        String action() {
            return "reject";
        }
    }

    @Command(name = "cancel", description = "Cancel a plan: a waiting one at once, a running one before its next step.")
    static final class Cancel extends Decide {
        @Override
        String action() {
            return "cancel";
        }
    }

    @Command(name = "recover", description = "Start a recovery plan by hand (or only show it with --dry-run).")
    static final class Recover extends Verb {
        @Parameters(paramLabel = "CLUSTER")
        String cluster;

        @Option(names = "--plan", required = true, paramLabel = "NAME",
                description = "e.g. " + PlanNames.ETCD_MEMBER_REPLACE + ", " + PlanNames.ETCD_QUORUM_RESTORE + ", "
                        + PlanNames.BBR_DEPLOYMENT_RESTORE)
        String plan;

        @Option(names = "--from", paramLabel = "BACKUP", description = "the verified backup to restore from")
        String from;

        @Option(names = "--member", paramLabel = "MEMBER", description = "the member a member plan is about")
        String member;

        @Option(names = "--to-revision", paramLabel = "REVISION", description = "for "
                + PlanNames.ETCD_POINT_IN_TIME_RESTORE + ": the etcd revision to bring the cluster back to")
        Long toRevision;

        @Option(names = "--to-time", paramLabel = "TIME", description = "for " + PlanNames.ETCD_POINT_IN_TIME_RESTORE
                + ": the moment to bring the cluster back to, ISO-8601 with an offset (2026-12-03T14:05:00Z)")
        String toTime;

        @Option(names = "--dry-run", description = "show the plan's steps; change nothing")
        boolean dryRun;

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("cluster", cluster);
            body.put("plan", plan);
            body.put("member", member);
            body.put("snapshotId", from);
            body.put("targetRevision", toRevision);
            body.put("targetTime", toTime);
            body.put("dryRun", dryRun);
            JsonNode p = client().post("/api/v1/plans", body).body();
            if (connection.json()) {
                printJson(p);
                return ExitCode.OK;
            }
            out().println((dryRun ? "dry run, nothing stored: " : "plan " + text(p, "id") + ": ") + text(p, "plan")
                    + " on " + text(p, "clusterId") + " " + text(p, "state"));
            Table steps = new Table("#", "STEP", "DESTRUCTIVE", "DESCRIPTION");
            for (JsonNode s : p.path("steps")) {
                steps.row(text(s, "index"), text(s, "name"), s.path("destructive").asBoolean() ? "yes" : "",
                        text(s, "description"));
            }
            steps.print(out());
            return ExitCode.OK;
        }
    }
}
