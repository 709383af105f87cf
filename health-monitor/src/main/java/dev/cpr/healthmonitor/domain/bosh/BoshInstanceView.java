package dev.cpr.healthmonitor.domain.bosh;

import java.util.List;

/**
 * One instance of a BOSH deployment as {@code instances?format=full} showed it (what {@code bosh is --ps} prints).
 *
 * @param jobState     the agent's view ({@code running}, {@code failing}, ...), {@code "unresponsive agent"},
 *                     or null when the instance has no VM
 * @param desiredState {@code started}, {@code stopped} or {@code detached}
 * @param vmCid        null when the instance has no VM
 */
public record BoshInstanceView(
        String group,
        String id,
        Integer index,
        String jobState,
        String desiredState,
        String vmCid,
        String az,
        List<String> ips,
        List<ProcessView> processes) {

    public static final String RUNNING = "running";
    public static final String FAILING = "failing";
    public static final String UNRESPONSIVE_AGENT = "unresponsive agent";

    /** A monit process on the VM and its state. */
    public record ProcessView(String name, String state) {
    }

    public BoshInstanceView {
        ips = ips == null ? List.of() : List.copyOf(ips);
        processes = processes == null ? List.of() : List.copyOf(processes);
    }

    /** {@code master/<uuid>}, as {@code bosh is} prints it. */
    public String name() {
        return group + "/" + id;
    }

    /** {@code master/<uuid> (0)}, as the director names an instance in messages. */
    public String label() {
        return name() + " (" + index + ")";
    }

    public boolean hasVm() {
        return vmCid != null;
    }

    public boolean agentUnresponsive() {
        return hasVm() && UNRESPONSIVE_AGENT.equals(jobState);
    }

    public boolean jobFailing() {
        return hasVm() && FAILING.equals(jobState);
    }

    /** Someone meant it to be down ({@code bosh stop}, {@code detached}): not a failure. */
    public boolean intentionallyDown() {
        return desiredState != null && !"started".equals(desiredState);
    }

    /** Down as the meltdown guard counts it: no VM, agent silent or job failing, while it should run. */
    public boolean down() {
        return !intentionallyDown() && (!hasVm() || agentUnresponsive() || jobFailing());
    }

    /** What {@code bosh is} prints as "Process State": the job state, {@code -} without a VM. */
    public String processState() {
        return hasVm() ? jobState : "-";
    }

    /** The processes that are not running, e.g. {@code etcd failing}. */
    public List<ProcessView> unhealthyProcesses() {
        return processes.stream().filter(p -> !RUNNING.equals(p.state())).toList();
    }
}
