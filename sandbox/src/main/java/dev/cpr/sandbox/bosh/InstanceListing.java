package dev.cpr.sandbox.bosh;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cpr.sandbox.etcd.EtcdCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** What {@code bosh instances} / {@code bosh vms} show of a deployment, the job state read live from etcd. */
final class InstanceListing {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final EtcdCluster cluster;

    InstanceListing(EtcdCluster cluster) {
        this.cluster = cluster;
    }

    /** One JSON object per instance, as {@code instances?format=full} returns them (job state read live). */
    List<ObjectNode> full(List<InstanceRecord> records, Predicate<InstanceRecord> unresponsive, boolean onlyWithVm) {
        List<ObjectNode> out = new ArrayList<>();
        for (InstanceRecord record : records) {
            if (onlyWithVm && record.vmCid() == null) {
                continue;
            }
            out.add(full(record, unresponsive.test(record)));
        }
        return out;
    }

    private ObjectNode full(InstanceRecord r, boolean agentUnresponsive) {
        ObjectNode o = JSON.createObjectNode();
        boolean hasVm = r.vmCid() != null;
        o.put("vm_cid", r.vmCid());
        o.put("active", hasVm);
        o.put("vm_created_at", hasVm ? r.vmCreatedAt() : null);
        o.put("disk_cid", r.diskCid());
        o.putArray("disk_cids").add(r.diskCid());
        ArrayNode ips = o.putArray("ips");
        if (hasVm) {
            ips.add("127.0.0.1");
        }
        o.put("agent_id", hasVm ? r.agentId() : null);
        o.put("job_name", r.group());
        o.put("index", r.index());
        o.put("vm_type", r.group().equals("master") ? "medium.disk" : "large.disk");
        ArrayNode processes = JSON.createArrayNode();
        String jobState = null;
        if (hasVm && agentUnresponsive) {
            jobState = "unresponsive agent";
        } else if (hasVm) {
            jobState = jobState(r, processes);
        }
        o.put("job_state", jobState);
        o.put("state", r.desiredState());
        if (hasVm && !agentUnresponsive) {
            ObjectNode vitals = o.putObject("vitals");
            vitals.putArray("load").add("0.12").add("0.10").add("0.08");
            vitals.putObject("cpu").put("sys", "1.2").put("user", "3.4").put("wait", "0.1");
            vitals.putObject("mem").put("kb", "2048000").put("percent", "25");
            vitals.putObject("swap").put("kb", "0").put("percent", "0");
            vitals.put("uptime", JSON.createObjectNode().put("secs", 3600));
        } else {
            o.putNull("vitals");
        }
        o.set("processes", processes);
        o.put("resurrection_paused", false);
        o.put("az", r.az());
        o.put("id", r.id());
        o.put("bootstrap", r.bootstrap());
        o.put("ignore", false);
        o.putObject("stemcell").put("name", "bosh-vsphere-esxi-ubuntu-xenial-go_agent").put("version", "621.76")
                .put("api_version", 3);
        return o;
    }

    /** {@code running} when the member is healthy; {@code failing} when it runs unhealthy or does not run. */
    private String jobState(InstanceRecord r, ArrayNode processes) {
        if (r.member() == null) {
            SimulatedDeployment.WORKER_PROCESSES.forEach(p -> processes.add(process(p, "running")));
            return "running";
        }
        boolean running = cluster.localMember(r.member()).isRunning();
        boolean healthy = running && cluster.isHealthy(r.member());
        boolean stopped = !"started".equals(r.desiredState());
        for (String p : SimulatedDeployment.MASTER_PROCESSES) {
            String state = stopped && !running ? "unknown"
                    : !p.equals("etcd") ? "running"
                    : healthy ? "running" : running ? "failing" : "unknown";
            processes.add(process(p, state));
        }
        if (healthy) {
            return "running";
        }
        return stopped && !running ? "stopped" : "failing";
    }

    private static ObjectNode process(String name, String state) {
        ObjectNode p = JSON.createObjectNode();
        p.put("name", name);
        p.put("state", state);
        p.putObject("uptime").put("secs", "running".equals(state) ? 3600 : 0);
        p.putObject("cpu").put("total", 0.3);
        p.putObject("mem").put("kb", 10240).put("percent", 0.5);
        return p;
    }

    /** {@code instances} / {@code vms} without {@code format=full}: answered directly. */
    static ArrayNode brief(List<InstanceRecord> records, boolean vmsOnly) {
        ArrayNode out = JSON.createArrayNode();
        for (InstanceRecord r : records) {
            if (vmsOnly && r.vmCid() == null) {
                continue;
            }
            ObjectNode o = out.addObject();
            o.put("agent_id", r.vmCid() == null ? null : r.agentId());
            o.put("cid", r.vmCid());
            o.put("job", r.group());
            o.put("index", r.index());
            o.put("id", r.id());
            o.put("az", r.az());
            ArrayNode ips = o.putArray("ips");
            if (r.vmCid() != null) {
                ips.add("127.0.0.1");
            }
            if (!vmsOnly) {
                o.put("expects_vm", !"detached".equals(r.desiredState()));
            }
        }
        return out;
    }
}
