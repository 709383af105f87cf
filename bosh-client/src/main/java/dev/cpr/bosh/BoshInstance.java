package dev.cpr.bosh;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import java.util.Map;

/**
 * One line of {@code instances?format=full} (or {@code vms?format=full}): an instance of an instance group and,
 * if it has one, its VM as the agent reports it. An instance without a VM has {@code vmCid}, {@code jobState} and
 * {@code vitals} null and no processes.
 *
 * @param jobState the agent's view ({@code running}, {@code failing}, {@code stopped}, ...) or
 *                 {@code "unresponsive agent"}; what {@code bosh is} prints as "Process State"
 * @param state    the desired state: {@code started}, {@code stopped}, {@code detached}
 */
public record BoshInstance(
        String vmCid,
        Boolean active,
        String vmCreatedAt,
        String diskCid,
        List<String> diskCids,
        List<String> ips,
        String agentId,
        String jobName,
        Integer index,
        String jobState,
        String state,
        String vmType,
        Map<String, Object> vitals,
        List<Process> processes,
        String az,
        String id,
        boolean bootstrap,
        boolean ignore,
        Map<String, Object> stemcell) {

    public static final String RUNNING = "running";
    public static final String UNRESPONSIVE_AGENT = "unresponsive agent";

    public BoshInstance {
        ips = ips == null ? List.of() : List.copyOf(ips);
        processes = processes == null ? List.of() : List.copyOf(processes);
        diskCids = diskCids == null ? List.of() : List.copyOf(diskCids);
    }

    /** A monit process on the VM. */
    public record Process(String name, String state, Uptime uptime, Cpu cpu, Mem mem) {

        public record Uptime(Long secs) {
        }

        public record Cpu(Double total) {
        }

        public record Mem(Long kb, Double percent) {
        }
    }

    /** {@code job_state == "running"} and every process {@code running}. */
    @JsonIgnore
    public boolean isHealthy() {
        return RUNNING.equals(jobState) && processes.stream().allMatch(p -> RUNNING.equals(p.state()));
    }

    @JsonIgnore
    public boolean hasVm() {
        return vmCid != null;
    }

    @JsonIgnore
    public boolean isAgentUnresponsive() {
        return UNRESPONSIVE_AGENT.equals(jobState);
    }

    /** The processes whose state is not {@code running}. */
    @JsonIgnore
    public List<Process> unhealthyProcesses() {
        return processes.stream().filter(p -> !RUNNING.equals(p.state())).toList();
    }

    /** {@code master/9b8ad6e0-... (0)}, as the director names an instance in messages. */
    @JsonIgnore
    public String label() {
        return jobName + "/" + id + " (" + index + ")";
    }

    /** {@code master/9b8ad6e0-...}, as {@code bosh is} prints it. */
    @JsonIgnore
    public String name() {
        return jobName + "/" + id;
    }
}
