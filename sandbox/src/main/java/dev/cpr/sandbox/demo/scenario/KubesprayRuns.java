package dev.cpr.sandbox.demo.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cpr.contracts.events.EventTypes;
import dev.cpr.contracts.recovery.RecoveryUpdate;
import dev.cpr.contracts.recovery.StepState;
import dev.cpr.sandbox.demo.launcher.CprService;
import dev.cpr.sandbox.demo.launcher.World;
import dev.cpr.sandbox.kubespray.KubesprayCluster;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the kubespray scenarios read from outside: the playbook step of a plan over REST, the restart markers. */
final class KubesprayRuns {

    static final String RUN_STEP = "run-recover-control-plane";
    /** The step's output: "`ansible-playbook ...` exit 0 after ..." or "ansible-playbook exited with N ...". */
    private static final Pattern EXIT = Pattern.compile("(?:` exit |ansible-playbook exited with )(-?\\d+)");

    private KubesprayRuns() {
    }

    /** The playbook step's output of a plan, as restore-service's REST API shows it. */
    static String runStepOutput(World world, String planId) throws IOException, InterruptedException {
        JsonNode plan = ServiceCalls.send(world.service(CprService.RESTORE_SERVICE).url() + "/api/v1/recoveries/" + planId,
                "GET", null, world.tokens().viewer(), 200);
        for (JsonNode step : plan.path("steps")) {
            if (RUN_STEP.equals(step.path("name").asText())) {
                return step.path("output").asText("");
            }
        }
        return "";
    }

    /** The playbook's exit code as the step output reports it; null when it did not run. */
    static Integer exitCode(String output) {
        Matcher m = EXIT.matcher(output);
        return m.find() ? Integer.valueOf(m.group(1)) : null;
    }

    /**
     * How many of the plan's updates on {@code cpr.recoveries} showed the playbook step RUNNING with its output so
     * far: what Slack and the dashboard showed while ansible ran.
     */
    static long liveOutputUpdates(EventWatcher events, String planId) {
        return events.seen().stream()
                .filter(seen -> EventTypes.RECOVERY_UPDATED.equals(seen.event().type()))
                .map(seen -> seen.data(RecoveryUpdate.class))
                .filter(update -> planId.equals(update.planId()))
                .flatMap(update -> update.steps().stream())
                .filter(step -> RUN_STEP.equals(step.name()) && step.state() == StepState.RUNNING
                        && step.output() != null && step.output().startsWith("ansible-playbook running"))
                .count();
    }

    /** Restarts per node and component so far (the markers the node's systemctl leaves). */
    static Map<String, Integer> restarts(KubesprayCluster cluster) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (KubesprayCluster.Node node : cluster.nodes()) {
            for (String component : KubesprayCluster.COMPONENTS) {
                counts.put(node.hostname() + "/" + component, cluster.restarts(node.hostname(), component));
            }
        }
        return counts;
    }

    /** How many (node, component) pairs were restarted at least once more than before. */
    static long restartedSince(KubesprayCluster cluster, Map<String, Integer> before) {
        Map<String, Integer> after = restarts(cluster);
        return after.entrySet().stream().filter(e -> e.getValue() > before.getOrDefault(e.getKey(), 0)).count();
    }
}
