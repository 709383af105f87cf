package dev.cpr.restore.adapters.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.cpr.contracts.inventory.ClusterKind;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.contracts.inventory.NodeAccess;
import dev.cpr.restore.domain.etcd.NodeControl;
import dev.cpr.sandbox.etcd.EtcdCluster;
import io.etcd.jetcd.cluster.Member;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@link SshNodeControl} over a real SSH connection (a MINA SSHD server started here, commands run by
 * {@code /bin/sh -c} on this machine) driving real etcd members of the sandbox. The systemd commands are mapped
 * by configuration onto this machine: "stop" kills the member by its pid file, "start" runs etcd configured only
 * by its env file, as systemd's {@code EnvironmentFile=/etc/etcd.env} would.
 */
class SshNodeControlTest {

    private static final String USER = "cpr";

    @TempDir
    Path dir;

    private TestSshServer server;
    private Path privateKey;
    private Path knownHosts;

    @BeforeEach
    void server() throws Exception {
        server = new TestSshServer(USER);
        privateKey = TestSshServer.writePrivateKey(server.clientKey, dir.resolve("id_ecdsa"));
        knownHosts = Files.writeString(dir.resolve("known_hosts"), "# test known hosts\n" + server.knownHostsLine() + "\n");
    }

    @AfterEach
    void stopServer() throws Exception {
        server.close();
    }

    private SshExecutor executor(Path key, Path hosts) {
        return new SshExecutor(key, Optional.empty(), hosts,
                new SshExecutor.Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(30)));
    }

    private MemberSpec sshMember(MemberSpec local, String user) {
        return new MemberSpec(local.name(), local.clientUrl(), local.peerUrl(), local.dataDir(),
                new NodeAccess(NodeAccess.Type.SSH, null, null, null, "127.0.0.1", server.port(), user, null, null));
    }

    /** systemd's commands mapped onto this machine's processes: pid files and an env-file-driven start script. */
    private SshCommands commandsOnThisMachine(Path scripts) throws Exception {
        Path start = Files.writeString(scripts.resolve("start-etcd.sh"), String.join("\n",
                "#!/bin/sh",
                "# stands in for `systemctl start etcd`: etcd configured by its env file only (EnvironmentFile=)",
                "set -e",
                "set -a; . \"$1\"; set +a",
                "rm -f \"$2.pid\"",
                "# the subshell waits for etcd, so a stopped etcd is reaped (this machine's pid 1 does not reap)",
                "( '" + EtcdCluster.etcdBinary() + "' >> \"$2.log\" 2>&1 < /dev/null & echo $! > \"$2.pid\"; wait ) "
                        + "> /dev/null 2>&1 < /dev/null &",
                "i=0; while [ ! -s \"$2.pid\" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i+1)); done",
                ""));
        String stop = "pid=$(cat {dataDir}.pid) || exit 0; kill \"$pid\" 2>/dev/null; i=0; "
                + "while kill -0 \"$pid\" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done; "
                + "if kill -0 \"$pid\" 2>/dev/null; then echo \"etcd $pid still running\" >&2; exit 1; fi; "
                + "rm -f {dataDir}.pid";
        return new SshCommands("etcd", scripts.resolve("env").toString() + "/{name}.env", "",
                "kill -0 \"$(cat {dataDir}.pid 2>/dev/null)\" 2>/dev/null",
                stop,
                "sh " + SshCommands.quote(start.toString()) + " {envFile} {dataDir}",
                SshCommands.DEFAULT_HAS_DATA, SshCommands.DEFAULT_WIPE, SshCommands.DEFAULT_READ_ENV,
                SshCommands.DEFAULT_WRITE_ENV);
    }

    /** /etc/etcd.env as kubespray writes it, for a member of the sandbox cluster. */
    private static String envFile(ClusterSpec cluster, MemberSpec member) {
        return String.join("\n",
                "# etcd settings (kubespray layout), written by the test",
                "ETCD_DATA_DIR=" + member.dataDir(),
                "ETCD_NAME=" + member.name(),
                "ETCD_ADVERTISE_CLIENT_URLS=" + member.clientUrl(),
                "ETCD_LISTEN_CLIENT_URLS=" + member.clientUrl(),
                "ETCD_INITIAL_ADVERTISE_PEER_URLS=" + member.peerUrl(),
                "ETCD_LISTEN_PEER_URLS=" + member.peerUrl(),
                "ETCD_INITIAL_CLUSTER_STATE=new",
                "ETCD_INITIAL_CLUSTER=" + cluster.initialClusterFlag(),
                "ETCD_INITIAL_CLUSTER_TOKEN=" + cluster.token(),
                "ETCD_FORCE_NEW_CLUSTER=true",
                "ETCD_HEARTBEAT_INTERVAL=100",
                "ETCD_ELECTION_TIMEOUT=1000",
                "",
                "# TLS would follow here",
                "ETCD_LOGGER=zap",
                "");
    }

    @Test
    void stopsWipesAndStartsARealEtcdMemberOverSsh() throws Exception {
        Path scripts = Files.createDirectories(dir.resolve("node"));
        Files.createDirectories(scripts.resolve("env"));
        Path etcdBase = dir.resolve("etcd");
        try (EtcdCluster cluster = EtcdCluster.start(etcdBase, "ssh-sandbox", 3);
                SshNodeControl nodes = new SshNodeControl(executor(privateKey, knownHosts), new SshNodeControl.Settings(
                        commandsOnThisMachine(scripts), new DataDirGuard(List.of(etcdBase.toString())), 22, "root"))) {
            ClusterSpec spec = cluster.spec();
            MemberSpec local = cluster.member("etcd-1");
            MemberSpec member = sshMember(local, USER);
            Path env = Files.writeString(scripts.resolve("env").resolve("etcd-1.env"), envFile(spec, local));
            cluster.putKeys("before/", 50);

            // given a running member, reached over ssh
            assertThat(nodes.isRunning(member)).isTrue();
            assertThat(nodes.hasData(member)).isTrue();

            // when it is stopped over ssh
            nodes.stop(member);

            // then its process is gone and it no longer answers
            assertThat(nodes.isRunning(member)).isFalse();
            assertThat(cluster.isHealthy("etcd-1")).isFalse();
            assertThat(cluster.localMember("etcd-1").isRunning()).isFalse();

            // when it is replaced as etcd-member-replace does: removed, wiped over ssh, added back, started over ssh
            Member listed = cluster.client().getClusterClient().listMember().get(5, TimeUnit.SECONDS).getMembers().stream()
                    .filter(m -> m.getName().equals("etcd-1")).findFirst().orElseThrow();
            cluster.client().getClusterClient().removeMember(listed.getId()).get(5, TimeUnit.SECONDS);
            nodes.wipe(member);
            assertThat(nodes.hasData(member)).isFalse();
            assertThat(Path.of(local.dataDir()).resolve("member")).doesNotExist();
            // etcd refuses "member add" (unhealthy cluster) for a moment after a removal: retry, as the plan does
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> peerListed(cluster, local.peerUrl()) || addMember(cluster, local.peerUrl()));
            nodes.start(spec, member, spec.initialClusterFlag());

            // then it is healthy again, joined with the existing cluster's flags from its edited env file
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> cluster.isHealthy("etcd-1"));
            cluster.awaitHealthy(Duration.ofSeconds(10));
            assertThat(nodes.isRunning(member)).isTrue();
            assertThat(nodes.hasData(member)).isTrue();
            assertThat(cluster.countKeys()).isGreaterThanOrEqualTo(50);
            String edited = Files.readString(env);
            assertThat(edited.lines().toList())
                    .contains("ETCD_INITIAL_CLUSTER_STATE=existing",
                            "ETCD_INITIAL_CLUSTER=" + spec.initialClusterFlag(),
                            "ETCD_NAME=etcd-1", "# TLS would follow here", "ETCD_LOGGER=zap")
                    .doesNotContain("ETCD_INITIAL_CLUSTER_STATE=new", "ETCD_FORCE_NEW_CLUSTER=true");
            assertThat(edited.lines().toList().indexOf("ETCD_INITIAL_CLUSTER_STATE=existing"))
                    .as("edited in place, not appended").isEqualTo(7);
            assertThat(nodes.transcript("etcd-1")).extracting(CommandResult::exitCode).contains(0);
            assertThat(nodes.transcript("etcd-1")).extracting(CommandResult::command)
                    .anyMatch(c -> c.startsWith("rm -rf -- '" + local.dataDir() + "/member'"));
        }
    }

    private static boolean peerListed(EtcdCluster cluster, String peerUrl) throws Exception {
        return cluster.client().getClusterClient().listMember().get(5, TimeUnit.SECONDS).getMembers().stream()
                .anyMatch(m -> m.getPeerURIs().contains(URI.create(peerUrl)));
    }

    private static boolean addMember(EtcdCluster cluster, String peerUrl) throws Exception {
        cluster.client().getClusterClient().addMember(List.of(URI.create(peerUrl))).get(5, TimeUnit.SECONDS);
        return true;
    }

    @Test
    void aHostWhoseKeyIsNotInKnownHostsIsRefusedByName() throws Exception {
        Path otherHosts = Files.writeString(dir.resolve("other_known_hosts"),
                "[10.1.2.3]:" + server.port() + " " + org.apache.sshd.common.config.keys.PublicKeyEntry.toString(
                        server.hostKey.getPublic()) + "\n");
        try (SshExecutor ssh = executor(privateKey, otherHosts)) {
            assertThatThrownBy(() -> ssh.run(new SshTarget("127.0.0.1", server.port(), USER), "true", null))
                    .isInstanceOf(SshException.class)
                    .hasMessageContaining("host key of 127.0.0.1:" + server.port())
                    .hasMessageContaining("is unknown")
                    .hasMessageContaining(otherHosts.toString());
        }
    }

    @Test
    void aHostWhoseKeyChangedIsRefused() throws Exception {
        Path changed = Files.writeString(dir.resolve("changed_known_hosts"),
                server.knownHostsLine(TestSshServer.newKey()) + "\n");
        try (SshExecutor ssh = executor(privateKey, changed)) {
            assertThatThrownBy(() -> ssh.run(new SshTarget("127.0.0.1", server.port(), USER), "true", null))
                    .isInstanceOf(SshException.class)
                    .hasMessageContaining("host key of 127.0.0.1:" + server.port() + " has CHANGED");
        }
    }

    @Test
    void aMissingKnownHostsFileRefusesEveryHost() throws Exception {
        try (SshExecutor ssh = executor(privateKey, dir.resolve("absent_known_hosts"))) {
            assertThatThrownBy(() -> ssh.run(new SshTarget("127.0.0.1", server.port(), USER), "true", null))
                    .isInstanceOf(SshException.class)
                    .hasMessageContaining("known_hosts file " + dir.resolve("absent_known_hosts") + " is missing");
        }
    }

    @Test
    void aWrongKeyOrAWrongUserIsRefused() throws Exception {
        Path otherKey = TestSshServer.writePrivateKey(TestSshServer.newKey(), dir.resolve("id_other"));
        try (SshExecutor wrongKey = executor(otherKey, knownHosts); SshExecutor rightKey = executor(privateKey, knownHosts)) {
            assertThatThrownBy(() -> wrongKey.run(new SshTarget("127.0.0.1", server.port(), USER), "true", null))
                    .isInstanceOf(SshException.class)
                    .hasMessageContaining("ssh authentication as cpr on 127.0.0.1:" + server.port() + " failed");
            assertThatThrownBy(() -> rightKey.run(new SshTarget("127.0.0.1", server.port(), "root"), "true", null))
                    .isInstanceOf(SshException.class)
                    .hasMessageContaining("ssh authentication as root on 127.0.0.1:" + server.port() + " failed");
            assertThat(rightKey.run(new SshTarget("127.0.0.1", server.port(), USER), "echo hello", null).stdout())
                    .isEqualTo("hello\n");
        }
    }

    @Test
    void anEd25519ClientKeyInOpenSshFormatIsAccepted() throws Exception {
        try (TestSshServer ed = new TestSshServer(USER, TestSshServer.newEd25519Key())) {
            Path key = TestSshServer.writePrivateKey(ed.clientKey, dir.resolve("id_ed25519"));
            assertThat(Files.readString(key)).startsWith("-----BEGIN OPENSSH PRIVATE KEY-----");
            Path hosts = Files.writeString(dir.resolve("ed_known_hosts"), ed.knownHostsLine() + "\n");
            try (SshExecutor ssh = executor(key, hosts)) {
                CommandResult result = ssh.run(new SshTarget("127.0.0.1", ed.port(), USER), "echo ok; echo warn >&2",
                        null);
                assertThat(result.exitCode()).isZero();
                assertThat(result.stdout()).isEqualTo("ok\n");
                assertThat(result.stderr()).isEqualTo("warn\n");
            }
        }
    }

    @Test
    void aCommandThatExitsNonZeroFailsWithItsExitCodeAndStderr() throws Exception {
        SshCommands failing = new SshCommands("etcd", "/etc/etcd.env", "", "exit 3",
                "echo 'Failed to stop etcd.service: Unit etcd.service not loaded.' >&2; exit 5",
                "true", "true", "true", "true", "true");
        Path data = Files.createDirectories(dir.resolve("var/lib/etcd/etcd-9/member"));
        MemberSpec member = new MemberSpec("etcd-9", "http://127.0.0.1:1", "http://127.0.0.1:2",
                data.getParent().toString(), new NodeAccess(NodeAccess.Type.SSH, null, null, null, "127.0.0.1",
                        server.port(), USER, null, null));
        try (SshNodeControl nodes = new SshNodeControl(executor(privateKey, knownHosts), new SshNodeControl.Settings(
                failing, new DataDirGuard(List.of("/var/lib/etcd")), 22, "root"))) {
            assertThat(nodes.isRunning(member)).as("is-active exit 3: not running").isFalse();
            assertThatThrownBy(() -> nodes.stop(member))
                    .hasMessageContaining("failed with exit code 5")
                    .hasMessageContaining("Unit etcd.service not loaded")
                    .isInstanceOfSatisfying(SshException.class, e -> assertThat(e.result().exitCode()).isEqualTo(5));

            // a data dir outside the allowed prefix is never wiped: refused before any command runs
            int before = nodes.transcript("etcd-9").size();
            assertThatThrownBy(() -> nodes.wipe(member))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("outside the allowed prefixes [/var/lib/etcd]");
            assertThat(nodes.transcript("etcd-9")).hasSize(before);
            assertThat(data).exists();
        }
    }

    @Test
    void filesOnTheNodeAreCheckedMovedDeletedTouchedAndStagedOverSsh() throws Exception {
        // given a node whose etcd data lives under <dir>/var/lib/etcd, reached over ssh
        Path prefix = Files.createDirectories(dir.resolve("var/lib/etcd"));
        Path dataDir = Files.createDirectories(prefix.resolve("etcd-1/member/wal"));
        Path staging = dir.resolve("staging");
        MemberSpec member = new MemberSpec("etcd-1", "http://127.0.0.1:1", "http://127.0.0.1:2",
                prefix.resolve("etcd-1").toString(), new NodeAccess(NodeAccess.Type.SSH, null, null, null, "127.0.0.1",
                        server.port(), USER, null, null));
        byte[] snapshot = new byte[3 * 1024 * 1024 + 17];
        new java.util.Random(7).nextBytes(snapshot);
        Path local = Files.write(dir.resolve("snap-42.db"), snapshot);
        try (SshNodeControl nodes = new SshNodeControl(executor(privateKey, knownHosts), new SshNodeControl.Settings(
                SshCommands.systemd(), new DataDirGuard(List.of(prefix.toString())), 22, "root", staging.toString(),
                Duration.ofSeconds(30)))) {
            String data = member.dataDir();
            String aside = data + ".cpr-plan-1";

            // when the restore's file operations run over ssh, then they act on the node's files
            assertThat(nodes.exists(member, data)).isTrue();
            assertThat(nodes.exists(member, aside)).isFalse();
            nodes.move(member, data, aside);
            assertThat(Path.of(aside).resolve("member/wal")).isDirectory();
            assertThat(dataDir).doesNotExist();
            nodes.touch(member, aside + ".restored");
            assertThat(Path.of(aside + ".restored")).isRegularFile();
            nodes.delete(member, aside);
            assertThat(Path.of(aside)).doesNotExist();
            nodes.delete(member, aside);
            String remote = nodes.stage(member, local);
            assertThat(remote).isEqualTo(staging.resolve("snap-42.db").toString());
            assertThat(Files.readAllBytes(Path.of(remote))).isEqualTo(snapshot);
            assertThat(nodes.stage(member, local)).as("a complete copy is kept").isEqualTo(remote);
            assertThatThrownBy(() -> nodes.delete(member, dir.resolve("elsewhere").toString()))
                    .hasMessageContaining("outside the allowed prefixes");
            assertThatThrownBy(() -> nodes.move(member, "relative", data))
                    .hasMessageContaining("must be absolute");

            // and a command's exit code and output come back (etcdctl snapshot restore, post-restore hooks)
            NodeControl.CommandOutcome outcome = nodes.exec(member,
                    List.of("sh", "-c", "echo restored; echo 'a warning' >&2; exit 4"), Duration.ofSeconds(10));
            assertThat(outcome.exitCode()).isEqualTo(4);
            assertThat(outcome.output()).isEqualTo("restored\na warning\n");
            assertThat(nodes.exec(member, List.of("test", "-f", remote), Duration.ofSeconds(10)).ok()).isTrue();
        }
    }

    @Test
    void stdinReachesTheCommandAndTheEnvFileIsRewrittenInPlace() throws Exception {
        Path env = Files.writeString(dir.resolve("etcd.env"), "# keep me\nETCD_NAME=etcd-1\nETCD_INITIAL_CLUSTER_STATE=new\n");
        Files.setPosixFilePermissions(env, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
        SshCommands commands = new SshCommands("etcd", env.toString(), "", "true", "true", "true", "true", "true",
                SshCommands.DEFAULT_READ_ENV, SshCommands.DEFAULT_WRITE_ENV);
        MemberSpec member = new MemberSpec("etcd-1", "http://127.0.0.1:1", "http://127.0.0.1:2", "/var/lib/etcd",
                new NodeAccess(NodeAccess.Type.SSH, null, null, null, "127.0.0.1", server.port(), USER, null, null));
        try (SshNodeControl nodes = new SshNodeControl(executor(privateKey, knownHosts), new SshNodeControl.Settings(
                commands, new DataDirGuard(List.of("/var/lib/etcd")), 22, "root"))) {
            ClusterSpec cluster = new ClusterSpec("c", ClusterKind.ETCD, null, null, List.of(member), null);
            nodes.start(cluster, member, "etcd-1=http://127.0.0.1:2");
            assertThat(Files.readString(env)).isEqualTo("# keep me\nETCD_NAME=etcd-1\n"
                    + "ETCD_INITIAL_CLUSTER_STATE=existing\nETCD_INITIAL_CLUSTER=etcd-1=http://127.0.0.1:2\n");

            // after a quorum restore: a new cluster under a new token
            nodes.start(cluster, member, "etcd-1=http://127.0.0.1:2", NodeControl.ClusterState.NEW, "c-restored-7");
        }
        assertThat(Files.readString(env)).isEqualTo("# keep me\nETCD_NAME=etcd-1\nETCD_INITIAL_CLUSTER_STATE=new\n"
                + "ETCD_INITIAL_CLUSTER=etcd-1=http://127.0.0.1:2\nETCD_INITIAL_CLUSTER_TOKEN=c-restored-7\n");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(env)))
                .isEqualTo("rw-r-----");
        assertThat(dir.resolve("etcd.env.cpr-new")).doesNotExist();
    }
}
