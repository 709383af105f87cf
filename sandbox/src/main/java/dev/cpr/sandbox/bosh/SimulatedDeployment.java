package dev.cpr.sandbox.bosh;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cpr.sandbox.etcd.EtcdCluster;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
    private static final Pattern UUID_SHAPE = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern INDEX = Pattern.compile("\\d{1,6}");

    private final String name;
    private final EtcdCluster cluster;
    private final Duration jobStartTimeout;
    private final Clock clock;
    private final InstanceListing listing;
    private final CloudCheck cloudCheck = new CloudCheck(this);

    // guarded by this
    private final Map<String, InstanceRecord> instances = new LinkedHashMap<>();
    private final Set<String> unresponsive = new HashSet<>();

    SimulatedDeployment(String name, EtcdCluster cluster, Duration jobStartTimeout, Clock clock) {
        this.name = name;
        this.cluster = cluster;
        this.jobStartTimeout = jobStartTimeout;
        this.clock = clock;
        this.listing = new InstanceListing(cluster);
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

    void replaceRecords(List<InstanceRecord> restored) {
        synchronized (this) {
            instances.clear();
            restored.forEach(this::put);
            unresponsive.clear();
        }
        // outside this lock: the cloud check takes its own lock, then asks this deployment
        cloudCheck.clear();
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
        return listing.full(records(), this::isUnresponsive, onlyWithVm);
    }

    /** {@code instances} / {@code vms} without {@code format=full}: answered directly. */
    ArrayNode shortListing(boolean vmsOnly) {
        return InstanceListing.brief(records(), vmsOnly);
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
        return cloudCheck.scan(task);
    }

    ArrayNode problemsJson() {
        return cloudCheck.problemsJson();
    }

    String resolve(Map<Integer, String> resolutions, SimulatedTask task) {
        return cloudCheck.resolve(resolutions, task);
    }

    synchronized String groupOf(String instanceId) {
        InstanceRecord r = instances.get(instanceId);
        return r == null ? null : r.group();
    }

    synchronized InstanceRecord record(String instanceId) {
        return instances.get(instanceId);
    }

    /** {@code reboot_vm}: the agent answers again and the member is started. */
    void reboot(InstanceRecord r) {
        synchronized (this) {
            unresponsive.remove(r.id());
        }
        if (r.member() != null) {
            cluster.restart(r.member());
            awaitRunning(r);
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
