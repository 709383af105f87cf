package dev.cpr.sandbox.demo.launcher;

import dev.cpr.bosh.BoshDirectorClient;
import dev.cpr.bosh.BoshDirectorConfig;
import dev.cpr.bosh.BoshException;
import dev.cpr.bosh.BoshInstance;
import dev.cpr.sandbox.bosh.BoshSimulatorDescription;
import java.time.Duration;
import java.util.List;

/**
 * {@code ./cpr status}'s view of the PKS cluster's deployment, asked of the director now (not the snapshot in
 * {@code sandbox.json}), printed the way {@code bosh -d <deployment> is} prints it in the seeds.
 */
final class BoshStatus {

    private final String directorUrl;
    private final String deployment;
    private final List<BoshInstance> instances;
    private final String problem;

    private BoshStatus(String directorUrl, String deployment, List<BoshInstance> instances, String problem) {
        this.directorUrl = directorUrl;
        this.deployment = deployment;
        this.instances = instances;
        this.problem = problem;
    }

    /** Asks the described director for the deployment's instances; a director that does not answer is reported. */
    static BoshStatus of(PksCluster.Description pks) {
        BoshSimulatorDescription d = pks.director();
        BoshDirectorClient client = new BoshDirectorClient(BoshDirectorConfig.of(d.directorUrl(), d.client(),
                d.clientSecret()).withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(10)));
        try {
            return new BoshStatus(d.directorUrl(), d.deployment(), client.instances(d.deployment()), null);
        } catch (BoshException e) {
            return new BoshStatus(d.directorUrl(), d.deployment(), List.of(), e.getMessage());
        }
    }

    static BoshStatus of(String directorUrl, String deployment, List<BoshInstance> instances) {
        return new BoshStatus(directorUrl, deployment, instances, null);
    }

    String render() {
        StringBuilder out = new StringBuilder();
        out.append("Using environment '").append(directorUrl).append("'\n\n");
        out.append("Task: retrieve vm-stats\n\n");
        out.append("Deployment '").append(deployment).append("'\n\n");
        if (problem != null) {
            return out.append("cannot list the instances: ").append(problem).append("\n").toString();
        }
        String format = "%-50s %-20s %-8s %-11s %s%n";
        out.append(String.format(format, "Instance", "Process State", "AZ", "IPs", "VM CID"));
        for (BoshInstance i : instances) {
            out.append(String.format(format, i.jobName() + "/" + i.id(),
                    i.vmCid() == null ? "-" : i.jobState(), dash(i.az()), i.ips().isEmpty() ? "-" : String.join(",", i.ips()),
                    dash(i.vmCid())));
        }
        return out.append("\n").append(instances.size()).append(" instances\n").toString();
    }

    private static String dash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }
}
