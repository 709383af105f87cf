package dev.cpr.sandbox.bosh;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The director's cloud check ({@code bosh cck}): a scan records the problems (missing VMs, unresponsive agents),
 * {@code GET /problems} lists them with their resolutions, {@code PUT /problems} applies the chosen ones. Problems
 * are guarded by {@code this}.
 */
final class CloudCheck {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Problem(int id, String type, String instanceId, String description) {
    }

    private final SimulatedDeployment deployment;
    private final Map<Integer, Problem> problems = new LinkedHashMap<>();
    private int nextProblemId = 1;

    CloudCheck(SimulatedDeployment deployment) {
        this.deployment = deployment;
    }

    synchronized void clear() {
        problems.clear();
    }

    String scan(SimulatedTask task) {
        List<InstanceRecord> all = deployment.records();
        // read before this lock is taken: it is never held while the deployment's is taken (replaceRecords clears it)
        Map<String, Boolean> unresponsive = new LinkedHashMap<>();
        all.forEach(r -> unresponsive.put(r.id(), deployment.isUnresponsive(r)));
        int missing = 0;
        int unresponsiveCount = 0;
        synchronized (this) {
            problems.clear();
            for (InstanceRecord r : all) {
                if (r.vmCid() == null && !"detached".equals(r.desiredState())) {
                    missing++;
                    addProblem("missing_vm", r, "VM for '" + r.label() + "' missing.");
                } else if (r.vmCid() != null && unresponsive.get(r.id())) {
                    unresponsiveCount++;
                    addProblem("unresponsive_agent", r, "VM for '" + r.label() + "' with cloud ID '" + r.vmCid()
                            + "' is not responding.");
                }
            }
        }
        int vms = all.size();
        task.stage("Scanning " + vms + " VMs");
        task.step("Checking VM states", 2);
        task.step((vms - missing - unresponsiveCount) + " OK, " + unresponsiveCount + " unresponsive, " + missing
                + " missing, 0 unbound", 2);
        task.stage("Scanning " + vms + " persistent disks");
        task.step("Looking for inactive disks", 2);
        task.step(vms + " OK, 0 missing, 0 inactive, 0 mount-info mismatch", 2);
        return "scan complete";
    }

    private void addProblem(String type, InstanceRecord r, String description) {
        int id = nextProblemId++;
        problems.put(id, new Problem(id, type, r.id(), description));
    }

    ArrayNode problemsJson() {
        ArrayNode out = JSON.createArrayNode();
        List<Problem> open;
        synchronized (this) {
            open = List.copyOf(problems.values());
        }
        for (Problem p : open) {
            ObjectNode o = out.addObject();
            o.put("id", p.id());
            o.put("type", p.type());
            o.put("description", p.description());
            o.putObject("data");
            ArrayNode resolutions = o.putArray("resolutions");
            resolution(resolutions, "ignore", "Skip for now");
            if (p.type().equals("unresponsive_agent")) {
                resolution(resolutions, "reboot_vm", "Reboot VM");
            }
            resolution(resolutions, "recreate_vm_without_wait", "Recreate VM without waiting for processes to start");
            resolution(resolutions, "recreate_vm", "Recreate VM and wait for processes to start");
            if (p.type().equals("unresponsive_agent")) {
                resolution(resolutions, "delete_vm", "Delete VM");
            }
            resolution(resolutions, "delete_vm_reference", "Delete VM reference");
            o.put("instance_group", deployment.groupOf(p.instanceId()));
        }
        return out;
    }

    private static void resolution(ArrayNode resolutions, String name, String plan) {
        resolutions.addObject().put("name", name).put("plan", plan);
    }

    /** Applies each resolution; a failed one stays open and fails the task after the others ran. */
    String resolve(Map<Integer, String> resolutions, SimulatedTask task) {
        int resolved = 0;
        List<String> errors = new ArrayList<>();
        task.stage("Applying problem resolutions");
        for (Map.Entry<Integer, String> entry : resolutions.entrySet()) {
            Problem problem;
            InstanceRecord r;
            synchronized (this) {
                problem = problems.get(entry.getKey());
            }
            r = problem == null ? null : deployment.record(problem.instanceId());
            if (problem == null || r == null) {
                errors.add("Error resolving problem '" + entry.getKey() + "': no such problem");
                continue;
            }
            try {
                apply(problem, entry.getValue(), r, task);
                synchronized (this) {
                    problems.remove(problem.id());
                }
                resolved++;
                task.step(problem.type() + " " + problem.id() + ": " + problem.description() + " (" + entry.getValue()
                        + ")", resolutions.size());
            } catch (RuntimeException e) {
                errors.add("Error resolving problem '" + problem.id() + "': " + e.getMessage());
            }
        }
        if (!errors.isEmpty()) {
            throw new IllegalStateException(String.join("; ", errors));
        }
        return resolved + " resolved";
    }

    private void apply(Problem problem, String resolution, InstanceRecord r, SimulatedTask task) {
        switch (resolution) {
            case "ignore" -> { }
            case "recreate_vm" -> deployment.recreate(r, true, task);
            case "recreate_vm_without_wait" -> deployment.recreate(r, false, task);
            case "delete_vm_reference" -> deployment.deleteVmOf(r.group() + "/" + r.id());
            case "delete_vm" -> {
                requireType(problem, resolution, "unresponsive_agent");
                deployment.deleteVmOf(r.group() + "/" + r.id());
            }
            case "reboot_vm" -> {
                requireType(problem, resolution, "unresponsive_agent");
                deployment.reboot(r);
            }
            default -> throw new IllegalArgumentException("unknown resolution '" + resolution + "' for problem "
                    + problem.id() + " (" + problem.type() + ")");
        }
    }

    private static void requireType(Problem problem, String resolution, String type) {
        if (!problem.type().equals(type)) {
            throw new IllegalArgumentException("resolution '" + resolution + "' does not apply to " + problem.type());
        }
    }
}
