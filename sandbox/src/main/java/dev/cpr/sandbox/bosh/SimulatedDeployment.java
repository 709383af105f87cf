package dev.cpr.sandbox.bosh;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cpr.sandbox.etcd.EtcdCluster;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * One deployment of the simulated director: master instances {@code master/<uuid>}, index i being etcd member
 * i of the real sandbox cluster, and one worker that is always running. The director's records (VM cids,
 * desired states) live here; the job state is read live from the etcd member. Operations on members run on the
 * director's task thread; records are guarded by {@code this}.
 */
final class SimulatedDeployment {

    static final List<String> MASTER_PROCESSES = List.of("etcd", "kube-apiserver", "kube-controller-manager",
            "kube-scheduler", "bosh-dns");
    static final List<String> WORKER_PROCESSES = List.of("kubelet", "kube-proxy", "bosh-dns");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern UUID_SHAPE = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern INDEX = Pattern.compile("\\d{1,6}");

    private final String name;
    private final EtcdCluster cluster;
    private final Duration jobStartTimeout;
    private final Clock clock;

    // guarded by this
    private final Map<String, InstanceRecord> instances = new LinkedHashMap<>();
    private final Set<String> unresponsive = new HashSet<>();
    private final Map<Integer, Problem> problems = new LinkedHashMap<>();
    private int nextProblemId = 1;

    record Problem(int id, String type, String instanceId, String description) {
    }

    SimulatedDeployment(String name, EtcdCluster cluster, Duration jobStartTimeout, Clock clock) {
        this.name = name;
        this.cluster = cluster;
        this.jobStartTimeout = jobStartTimeout;
        this.clock = clock;
        List<String> members = cluster.members().stream().map(m -> m.name()).toList();
        for (int i = 0; i < members.size(); i++) {
            put(new InstanceRecord("master", uuid("master/" + i), i, "pks-az" + (i % 3 + 1), i == 0, members.get(i),
                    newVmCid("master"), UUID.randomUUID().toString(), "disk-" + hex(12), now(), "started"));
        }
        put(new InstanceRecord("worker", uuid("worker/0"), 0, "pks-az1", true, null, newVmCid("worker"),
                UUID.randomUUID().toString(), "disk-" + hex(12), now(), "started"));
    }

    String name() {
        return name;
    }

    EtcdCluster cluster() {
        return cluster;
    }

    // ---------------------------------------------------------------- records

    synchronized List<InstanceRecord> records() {
        return List.copyOf(instances.values());
    }

    synchronized void replaceRecords(List<InstanceRecord> restored) {
        instances.clear();
        restored.forEach(this::put);
        unresponsive.clear();
        problems.clear();
    }

    private synchronized void put(InstanceRecord record) {
        instances.put(record.id(), record);
    }

    synchronized boolean isUnresponsive(InstanceRecord record) {
        return unresponsive.contains(record.id());
    }

    /** By {@code group/uuid}, {@code group/index} or, for a master, its member name ({@code etcd-2}). */
    synchronized InstanceRecord find(String group, String idOrIndex) {
        boolean isIndex = INDEX.matcher(idOrIndex).matches();
        if (!isIndex && !UUID_SHAPE.matcher(idOrIndex).matches()) {
            throw DirectorError.invalidIndex(idOrIndex);
        }
        return instances.values().stream()
                .filter(r -> r.group().equals(group))
                .filter(r -> isIndex ? Integer.toString(r.index()).equals(idOrIndex) : r.id().equals(idOrIndex))
                .findFirst()
                .orElseThrow(() -> DirectorError.instanceNotFound(group, idOrIndex));
    }

    /** {@code master/0}, {@code master/<uuid>} or a member name. */
    synchronized InstanceRecord find(String instance) {
        for (InstanceRecord record : instances.values()) {
            if (instance.equals(record.member())) {
                return record;
            }
        }
        int slash = instance.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("no instance '" + instance + "' in " + name
                    + "; name one as master/0, master/<uuid> or by its etcd member name");
        }
        return find(instance.substring(0, slash), instance.substring(slash + 1));
    }

    synchronized InstanceRecord byVmCid(String vmCid) {
        return instances.values().stream().filter(r -> vmCid.equals(r.vmCid())).findFirst().orElse(null);
    }

    // ---------------------------------------------------------------- what `bosh is` shows

    /** One JSON object per instance, as {@code instances?format=full} returns them (job state read live). */
    List<ObjectNode> fullListing(boolean onlyWithVm) {
        List<ObjectNode> out = new ArrayList<>();
        for (InstanceRecord record : records()) {
            if (onlyWithVm && record.vmCid() == null) {
                continue;
            }
            out.add(full(record, isUnresponsive(record)));
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
            WORKER_PROCESSES.forEach(p -> processes.add(process(p, "running")));
            return "running";
        }
        boolean running = cluster.localMember(r.member()).isRunning();
        boolean healthy = running && cluster.isHealthy(r.member());
        boolean stopped = !"started".equals(r.desiredState());
        for (String p : MASTER_PROCESSES) {
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
    ArrayNode shortListing(boolean vmsOnly) {
        ArrayNode out = JSON.createArrayNode();
        for (InstanceRecord r : records()) {
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

    // ---------------------------------------------------------------- faults (scenario controls)

    /** The job fails on a running VM: the etcd member is killed, the VM and agent stay. */
    void failJob(String instance) {
        InstanceRecord r = find(instance);
        requireMember(r);
        cluster.kill(r.member());
    }

    /** The VM is gone (vm_cid null); its member is killed, its persistent disk (data dir) kept. */
    void deleteVmOf(String instance) {
        InstanceRecord r = find(instance);
        if (r.member() != null) {
            cluster.kill(r.member());
        }
        synchronized (this) {
            unresponsive.remove(r.id());
            put(withVm(r, null, r.agentId()));
        }
    }

    /** The VM is powered off: the agent does not answer and its member is down. */
    void unresponsiveAgent(String instance) {
        InstanceRecord r = find(instance);
        if (r.member() != null) {
            cluster.kill(r.member());
        }
        synchronized (this) {
            unresponsive.add(r.id());
        }
    }

    // ---------------------------------------------------------------- operations (run on the task thread)

    /** A new VM on the same persistent disk: the member restarts with its data dir (a lost WAL stays lost). */
    void recreate(InstanceRecord r, boolean waitForProcesses, SimulatedTask task) {
        task.stage("Updating instance " + r.group());
        if (r.member() != null) {
            cluster.stop(r.member());
        }
        InstanceRecord recreated = withVm(r, newVmCid(r.group()), UUID.randomUUID().toString());
        recreated = withDesired(recreated, "started");
        synchronized (this) {
            unresponsive.remove(r.id());
            put(recreated);
        }
        task.step(r.label() + " (recreate)", 1);
        if (r.member() != null) {
            cluster.restart(r.member());
            if (waitForProcesses) {
                awaitRunning(recreated);
            }
        }
    }

    void restart(InstanceRecord r, SimulatedTask task) {
        requireResponsive(r);
        task.stage("Updating instance " + r.group());
        if (r.member() != null) {
            cluster.stop(r.member());
            cluster.restart(r.member());
            awaitRunning(r);
        }
        task.step(r.label() + " (restart)", 1);
    }

    void stop(InstanceRecord r, SimulatedTask task) {
        requireResponsive(r);
        task.stage("Updating instance " + r.group());
        if (r.member() != null) {
            cluster.stop(r.member());
        }
        put(withDesired(find(r.group(), r.id()), "stopped"));
        task.step(r.label() + " (stop)", 1);
    }

    void start(InstanceRecord r, SimulatedTask task) {
        task.stage("Updating instance " + r.group());
        InstanceRecord current = find(r.group(), r.id());
        if (current.vmCid() == null) {
            current = withVm(current, newVmCid(r.group()), UUID.randomUUID().toString());
        } else {
            requireResponsive(current);
        }
        current = withDesired(current, "started");
        put(current);
        if (r.member() != null) {
            cluster.restart(r.member());
            awaitRunning(current);
        }
        task.step(r.label() + " (start)", 1);
    }

    void detach(InstanceRecord r, SimulatedTask task) {
        task.stage("Updating instance " + r.group());
        if (r.member() != null) {
            cluster.stop(r.member());
        }
        synchronized (this) {
            unresponsive.remove(r.id());
            put(withDesired(withVm(find(r.group(), r.id()), null, r.agentId()), "detached"));
        }
        task.step(r.label() + " (detach)", 1);
    }

    /** {@code DELETE /vms/<cid>}: the member is killed, the VM reference removed, the disk kept. */
    void deleteVm(String vmCid, SimulatedTask task) {
        task.stage("Delete VM");
        InstanceRecord r = byVmCid(vmCid);
        if (r != null) {
            deleteVmOf(r.group() + "/" + r.id());
        }
        task.step(vmCid, 1);
    }

    // ---------------------------------------------------------------- cloud check

    String scan(SimulatedTask task) {
        List<InstanceRecord> all = records();
        int missing = 0;
        int unresponsiveCount = 0;
        synchronized (this) {
            problems.clear();
            for (InstanceRecord r : all) {
                if (r.vmCid() == null && !"detached".equals(r.desiredState())) {
                    missing++;
                    addProblem("missing_vm", r, "VM for '" + r.label() + "' missing.");
                } else if (r.vmCid() != null && unresponsive.contains(r.id())) {
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
            o.put("instance_group", groupOf(p.instanceId()));
        }
        return out;
    }

    private synchronized String groupOf(String instanceId) {
        InstanceRecord r = instances.get(instanceId);
        return r == null ? null : r.group();
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
                r = problem == null ? null : instances.get(problem.instanceId());
            }
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
            case "recreate_vm" -> recreate(r, true, task);
            case "recreate_vm_without_wait" -> recreate(r, false, task);
            case "delete_vm_reference" -> deleteVmOf(r.group() + "/" + r.id());
            case "delete_vm" -> {
                requireType(problem, resolution, "unresponsive_agent");
                deleteVmOf(r.group() + "/" + r.id());
            }
            case "reboot_vm" -> {
                requireType(problem, resolution, "unresponsive_agent");
                synchronized (this) {
                    unresponsive.remove(r.id());
                }
                if (r.member() != null) {
                    cluster.restart(r.member());
                    awaitRunning(r);
                }
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

    // ---------------------------------------------------------------- helpers

    /** As the director's update watch: the job must be running within the timeout, or the update fails. */
    private void awaitRunning(InstanceRecord r) {
        long deadline = System.nanoTime() + jobStartTimeout.toNanos();
        long started = System.nanoTime();
        while (System.nanoTime() < deadline) {
            if (cluster.isHealthy(r.member())) {
                return;
            }
            if (System.nanoTime() - started > 1_000_000_000L && !cluster.localMember(r.member()).isRunning()) {
                break; // the process exited: monit would report the job failing
            }
            sleep(100);
        }
        throw new IllegalStateException("'" + r.label() + "' is not running after update. Review logs for failed "
                + "jobs: etcd");
    }

    private void requireResponsive(InstanceRecord r) {
        if (r.vmCid() == null) {
            throw new IllegalStateException("Instance '" + r.label() + "' has no VM");
        }
        if (isUnresponsive(r)) {
            throw new IllegalStateException("Timed out sending 'get_state' to instance: '" + r.group() + "/" + r.id()
                    + "', agent-id: '" + r.agentId() + "' after 45 seconds");
        }
    }

    private static void requireMember(InstanceRecord r) {
        if (r.member() == null) {
            throw new IllegalArgumentException(r.label() + " runs no etcd member");
        }
    }

    private InstanceRecord withVm(InstanceRecord r, String vmCid, String agentId) {
        return new InstanceRecord(r.group(), r.id(), r.index(), r.az(), r.bootstrap(), r.member(), vmCid, agentId,
                r.diskCid(), vmCid == null ? r.vmCreatedAt() : now(), r.desiredState());
    }

    private static InstanceRecord withDesired(InstanceRecord r, String desired) {
        return new InstanceRecord(r.group(), r.id(), r.index(), r.az(), r.bootstrap(), r.member(), r.vmCid(),
                r.agentId(), r.diskCid(), r.vmCreatedAt(), desired);
    }

    private String uuid(String instance) {
        return UUID.nameUUIDFromBytes((name + "/" + instance).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private String newVmCid(String group) {
        return group + "_" + name.replace('_', '-') + "_" + hex(12);
    }

    private static String hex(int length) {
        StringBuilder out = new StringBuilder();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (out.length() < length) {
            out.append(Integer.toHexString(random.nextInt(16)));
        }
        return out.toString();
    }

    private String now() {
        return Instant.now(clock).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
