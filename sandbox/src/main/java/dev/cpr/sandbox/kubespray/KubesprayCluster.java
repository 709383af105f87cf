package dev.cpr.sandbox.kubespray;

import dev.cpr.contracts.inventory.ClusterKind;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.contracts.inventory.NodeAccess;
import dev.cpr.contracts.inventory.RecoveryMode;
import dev.cpr.contracts.inventory.RecoveryPolicy;
import dev.cpr.contracts.recovery.PlanNames;
import dev.cpr.sandbox.etcd.EtcdCluster;
import dev.cpr.sandbox.support.Logs;
import dev.cpr.sandbox.support.Ports;
import dev.cpr.sandbox.support.Processes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A kubespray-deployed control plane in the sandbox (seeds 002 and 004): three nodes {@code node1..3}, each a
 * directory laid out as kubespray lays out a control-plane node ({@code etc/etcd.env} read by the etcd unit,
 * {@code var/lib/etcd} the data dir, {@code etc/kubernetes/manifests/kube-apiserver.yaml}), each running a
 * <b>real</b> etcd member ({@code etcd1..3}) started from its env file, and each reached over <b>real</b> ssh:
 * Debian's sshd run as a process on a loopback port per node, with its own host key, letting in a client key
 * made at start.
 * <p>
 * Beside the nodes lies a kubespray checkout ({@code kubespray/}) whose {@code recover-control-plane.yml} stands in
 * for kubespray's, and the cluster's inventory directory {@code kubespray/inventory/kubespray-1/} whose
 * {@code group_vars} (ssh key, known hosts) and {@code host_vars} (each node's paths and URLs) cpr links next to
 * the inventory it writes. On a node, {@code bin/systemctl} stands in for systemd: it starts and stops etcd from
 * the env file, and a restart of {@code kube-apiserver}, {@code kube-controller-manager}, {@code kube-scheduler}
 * or {@code kubelet} appends a line to {@code var/log/restarts/<component>}.
 */
public final class KubesprayCluster implements AutoCloseable {

    public static final String CLUSTER_ID = "kubespray-1";
    public static final int NODES = 3;
    public static final String TOKEN = "k8s_etcd";
    public static final List<String> COMPONENTS = List.of("kube-apiserver", "kube-controller-manager",
            "kube-scheduler", "kubelet");

    /** The stand-in checkout, as resources under {@code sandbox-kubespray/}. */
    private static final List<String> CHECKOUT = List.of(
            "recover-control-plane.yml",
            "ansible.cfg",
            "playbooks/recover_control_plane.yml",
            "roles/kubespray_defaults/defaults/main.yml",
            "roles/recover_control_plane/etcd/tasks/main.yml",
            "roles/recover_control_plane/etcd/tasks/recover_lost_quorum.yml",
            "roles/recover_control_plane/post-recover/tasks/main.yml",
            "roles/etcd_member_join/tasks/main.yml");

    /** One node: its inventory hostname, its etcd member, its directory and its sshd. */
    public record Node(String hostname, String member, Path dir, SshNodeHandle ssh) {

        public Path envFile() {
            return dir.resolve("etc/etcd.env");
        }

        public Path dataDir() {
            return dir.resolve("var/lib/etcd");
        }

        public Path systemctl() {
            return dir.resolve("bin/systemctl");
        }

        public Path pidFile() {
            return dir.resolve("run/etcd.pid");
        }

        public Path logFile() {
            return dir.resolve("var/log/etcd.log");
        }
    }

    /** The node's sshd, for faults: stop it (the node is unreachable) and start it again. */
    public static final class SshNodeHandle {
        private final SshNode sshd;

        private SshNodeHandle(SshNode sshd) {
            this.sshd = sshd;
        }

        public int port() {
            return sshd.port();
        }

        public void stop() {
            sshd.stop();
        }

        public void start() {
            try {
                sshd.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public boolean running() {
            return sshd.running();
        }
    }

    private final Path base;
    private final List<Node> nodes;
    private final ClusterSpec spec;
    private final EtcdCluster etcd;

    private KubesprayCluster(Path base, List<Node> nodes, ClusterSpec spec) {
        this.base = base;
        this.nodes = List.copyOf(nodes);
        this.spec = spec;
        this.etcd = EtcdCluster.attach(spec);
    }

    /**
     * Lays out the nodes, the checkout and the inventory directory under {@code baseDir} (anything left there by an
     * earlier run is stopped and deleted first), starts each node's sshd and etcd, and waits until every member is
     * healthy.
     */
    public static KubesprayCluster start(Path baseDir) {
        Path base = baseDir.toAbsolutePath().normalize();
        List<Node> nodes = new ArrayList<>();
        try {
            stopLeftovers(base);
            Processes.deleteRecursively(base);
            Files.createDirectories(base.resolve("ssh"));
            Path clientKey = base.resolve("ssh/id_ed25519");
            SshNode.keygen(clientKey);
            String clientPub = Files.readString(Path.of(clientKey + ".pub"));
            List<Integer> ports = Ports.free(3 * NODES);
            String etcdBinary = EtcdCluster.etcdBinary();
            String user = System.getProperty("user.name");
            List<MemberSpec> members = new ArrayList<>();
            KubesprayEtcdCerts certs = KubesprayEtcdCerts.create(base, CLUSTER_ID);
            for (int i = 0; i < NODES; i++) {
                String hostname = "node" + (i + 1);
                Path dir = base.resolve("nodes").resolve(hostname);
                SshNode sshd = SshNode.create(dir.resolve("ssh"), ports.get(3 * i + 2), clientPub);
                Node node = new Node(hostname, "etcd" + (i + 1), dir, new SshNodeHandle(sshd));
                nodes.add(node);
                certs.layOut(node);
                members.add(new MemberSpec(node.member(), "https://127.0.0.1:" + ports.get(3 * i),
                        "https://127.0.0.1:" + ports.get(3 * i + 1), node.dataDir().toString(),
                        new NodeAccess(NodeAccess.Type.SSH, etcdBinary, node.pidFile().toString(),
                                node.logFile().toString(), "127.0.0.1", sshd.port(), user, null, hostname)));
            }
            ClusterSpec spec = new ClusterSpec(CLUSTER_ID, ClusterKind.KUBESPRAY, TOKEN, certs.spec(), members,
                    new RecoveryPolicy(Map.of(PlanNames.KUBESPRAY_RECOVER_CONTROL_PLANE, RecoveryMode.AUTO)));
            String initialCluster = spec.initialClusterFlag();
            for (int i = 0; i < NODES; i++) {
                layOut(nodes.get(i), members.get(i), initialCluster, etcdBinary, spec);
            }
            List<String> knownHosts = new ArrayList<>();
            for (Node node : nodes) {
                knownHosts.add(node.ssh().sshd.knownHostsLine());
            }
            Files.write(base.resolve("ssh/known_hosts"), knownHosts);
            writeCheckout(base, nodes, members);
            KubesprayCluster cluster = new KubesprayCluster(base, nodes, spec);
            for (Node node : nodes) {
                cluster.systemctl(node, "start", "etcd");
            }
            cluster.etcd.awaitHealthy(EtcdCluster.START_TIMEOUT);
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException e) {
            nodes.forEach(n -> n.ssh().stop());
            stopLeftovers(base);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("cannot start the kubespray cluster " + CLUSTER_ID + " under " + base + ": "
                    + e.getMessage() + nodes.stream().map(n -> "\n" + n.hostname() + " etcd: "
                            + Logs.tail(n.logFile(), 5)).collect(Collectors.joining()), e);
        }
    }

    /**
     * Stops the etcd and sshd processes named by the pid files a run left under {@code base}: an earlier run's
     * before a new one lays out its nodes, and a run whose launcher died before it could close the cluster
     * ({@code cpr down}).
     */
    public static void stopLeftovers(Path base) {
        for (int i = 1; i <= NODES; i++) {
            Path node = base.resolve("nodes/node" + i);
            Processes.readPid(node.resolve("run/etcd.pid")).flatMap(pid -> Processes.find(pid, "etcd"))
                    .ifPresent(p -> Processes.stop(p, java.time.Duration.ofSeconds(5)));
            Processes.readPid(node.resolve("ssh/sshd.pid")).flatMap(pid -> Processes.find(pid, "sshd"))
                    .ifPresent(p -> Processes.stop(p, java.time.Duration.ofSeconds(3)));
        }
    }

    private static void layOut(Node node, MemberSpec member, String initialCluster, String etcdBinary,
            ClusterSpec spec) throws IOException {
        Path dir = node.dir();
        for (String sub : List.of("etc/kubernetes/manifests", "var/lib", "var/log", "run", "bin", "tmp")) {
            Files.createDirectories(dir.resolve(sub));
        }
        // the variables of kubespray's etcd.env template that a member over mutual TLS needs
        Map<String, String> env = new LinkedHashMap<>();
        env.put("ETCD_DATA_DIR", node.dataDir().toString());
        env.put("ETCD_ADVERTISE_CLIENT_URLS", member.clientUrl());
        env.put("ETCD_INITIAL_ADVERTISE_PEER_URLS", member.peerUrl());
        env.put("ETCD_INITIAL_CLUSTER_STATE", "new");
        env.put("ETCD_METRICS", "basic");
        env.put("ETCD_LISTEN_CLIENT_URLS", member.clientUrl());
        // loopback members: short heartbeats make failover and catch-up quick
        env.put("ETCD_ELECTION_TIMEOUT", "1000");
        env.put("ETCD_HEARTBEAT_INTERVAL", "100");
        env.put("ETCD_INITIAL_CLUSTER_TOKEN", spec.token());
        env.put("ETCD_LISTEN_PEER_URLS", member.peerUrl());
        env.put("ETCD_NAME", member.name());
        env.put("ETCD_INITIAL_CLUSTER", initialCluster);
        env.put("ETCD_AUTO_COMPACTION_RETENTION", "8");
        env.put("ETCD_SNAPSHOT_COUNT", "10000");
        env.put("ETCD_LOGGER", "zap");
        env.putAll(KubesprayEtcdCerts.memberEnv(node));
        Files.writeString(node.envFile(), "# Environment file for etcd (the layout of kubespray's etcd.env)\n"
                + env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue() + "\n").collect(Collectors.joining()));
        Files.writeString(dir.resolve("etc/kubernetes/manifests/kube-apiserver.yaml"), """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: kube-apiserver
                  namespace: kube-system
                spec:
                  containers:
                  - name: kube-apiserver
                    command:
                    - kube-apiserver
                    - --etcd-servers=%s
                """.formatted(spec.clientEndpoints()));
        Path systemctl = node.systemctl();
        Files.writeString(systemctl, resource("node/systemctl").replace("@ETCD_BIN@", "'" + etcdBinary + "'"));
        if (!systemctl.toFile().setExecutable(true)) {
            throw new IOException("cannot make " + systemctl + " executable");
        }
    }

    private static void writeCheckout(Path base, List<Node> nodes, List<MemberSpec> members) throws IOException {
        Path checkout = base.resolve("kubespray");
        for (String file : CHECKOUT) {
            Path target = checkout.resolve(file);
            Files.createDirectories(target.getParent());
            Files.writeString(target, resource(file));
        }
        Path inventory = checkout.resolve("inventory").resolve(CLUSTER_ID);
        Files.createDirectories(inventory.resolve("group_vars/all"));
        Files.createDirectories(inventory.resolve("host_vars"));
        Files.writeString(inventory.resolve("group_vars/all/all.yml"), """
                ---
                # sandbox: how ansible reaches the nodes (their sshd's host keys are pinned in known_hosts)
                ansible_ssh_private_key_file: %s
                ansible_ssh_common_args: "-o UserKnownHostsFile=%s -o StrictHostKeyChecking=yes -o ConnectTimeout=5"
                bin_dir: %s
                """.formatted(base.resolve("ssh/id_ed25519"), base.resolve("ssh/known_hosts"), etcdctlDir()));
        for (int i = 0; i < nodes.size(); i++) {
            Node node = nodes.get(i);
            MemberSpec member = members.get(i);
            Files.writeString(inventory.resolve("host_vars").resolve(node.hostname() + ".yml"), """
                    ---
                    # sandbox: this node's root; kubespray's paths below it
                    node_root: %s
                    systemctl: %s
                    etcd_data_dir: %s
                    etcd_env_file: %s
                    etcd_peer_url: %s
                    etcd_client_url: %s
                    etcd_cert_dir: %s
                    """.formatted(node.dir(), node.systemctl(), node.dataDir(), node.envFile(), member.peerUrl(),
                    member.clientUrl(), KubesprayEtcdCerts.certDir(node)));
        }
    }

    /** The directory of etcdctl: next to etcd, else {@code /usr/bin}. */
    private static String etcdctlDir() {
        Path etcd = Path.of(EtcdCluster.etcdBinary());
        Path dir = etcd.getParent();
        return dir != null && Files.isExecutable(dir.resolve("etcdctl")) ? dir.toString() : "/usr/bin";
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = KubesprayCluster.class.getResourceAsStream("/sandbox-kubespray/" + name)) {
            if (in == null) {
                throw new IOException("resource sandbox-kubespray/" + name + " is missing from the sandbox jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Runs the node's systemctl stand-in locally (starting the world, and faults). */
    public void systemctl(Node node, String action, String unit) {
        try {
            Process p = new ProcessBuilder(node.systemctl().toString(), action, unit).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int exit = p.waitFor();
            if (exit != 0 && !"is-active".equals(action)) {
                throw new IllegalStateException(node.hostname() + ": systemctl " + action + " " + unit + " exited "
                        + exit + ": " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    public String clusterId() {
        return CLUSTER_ID;
    }

    /** The cluster as the services' inventory holds it ({@code kind: kubespray}, members with ssh access). */
    public ClusterSpec inventorySpec() {
        return spec;
    }

    /** The members as an etcd cluster, to write, count and check health (it does not own them). */
    public EtcdCluster etcd() {
        return etcd;
    }

    public List<Node> nodes() {
        return nodes;
    }

    public Node node(String hostnameOrMember) {
        return nodes.stream().filter(n -> n.hostname().equals(hostnameOrMember) || n.member().equals(hostnameOrMember))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("no node or member " + hostnameOrMember
                        + " in " + CLUSTER_ID + "; nodes: " + nodes.stream().map(Node::hostname).toList()));
    }

    /** The kubespray checkout restore-service runs ansible-playbook in. */
    public Path checkoutDir() {
        return base.resolve("kubespray");
    }

    /** The client key ansible logs in with. */
    public Path clientKey() {
        return base.resolve("ssh/id_ed25519");
    }

    /** What restore-service needs to drive this cluster as it would drive kubespray. */
    public Map<String, String> restoreServiceEnv() {
        return Map.of("CPR_RESTORE_KUBESPRAY_DIR", checkoutDir().toString(),
                "CPR_RESTORE_KUBESPRAY_WORK_DIR", base.resolve("cpr-work").toString());
    }

    /** A member's data lost: its etcd stopped and its data dir deleted, as a disk lost with the node. */
    public void loseMember(String member) {
        Node node = node(member);
        systemctl(node, "stop", "etcd");
        Processes.deleteRecursively(node.dataDir());
    }

    /** How many times the component was restarted on the node (the marker lines its restarts left). */
    public int restarts(String hostname, String component) {
        Path marker = node(hostname).dir().resolve("var/log/restarts").resolve(component);
        try {
            return Files.exists(marker) ? (int) Files.readAllLines(marker).stream().filter(l -> !l.isBlank()).count() : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The env file of the node, as the etcd unit reads it. */
    public String envFile(String hostnameOrMember) {
        try {
            return Files.readString(node(hostnameOrMember).envFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops every sshd and etcd member (the node directories are kept). */
    @Override
    public void close() {
        try {
            etcd.close();
        } finally {
            nodes.forEach(n -> n.ssh().stop());
            stopLeftovers(base);
        }
    }
}
