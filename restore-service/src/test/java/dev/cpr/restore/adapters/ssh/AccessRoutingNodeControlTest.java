package dev.cpr.restore.adapters.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.contracts.inventory.NodeAccess;
import dev.cpr.restore.adapters.node.LocalNodeControl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessRoutingNodeControlTest {

    @TempDir
    Path dir;

    @Test
    void localMembersGoToLocalNodeControlAndSshMembersOverSsh() throws Exception {
        // given a local member and an ssh member whose data dirs exist, and a real ssh server for the latter
        Path localData = Files.createDirectories(dir.resolve("local/etcd-1/member"));
        Path sshData = Files.createDirectories(dir.resolve("ssh/etcd-2/member"));
        MemberSpec local = new MemberSpec("etcd-1", "http://127.0.0.1:1", "http://127.0.0.1:2",
                localData.getParent().toString(), NodeAccess.local("etcd", null, null));
        try (TestSshServer server = new TestSshServer("cpr")) {
            Path key = TestSshServer.writePrivateKey(server.clientKey, dir.resolve("id"));
            Path hosts = Files.writeString(dir.resolve("known_hosts"), server.knownHostsLine() + "\n");
            MemberSpec remote = new MemberSpec("etcd-2", "http://127.0.0.1:3", "http://127.0.0.1:4",
                    sshData.getParent().toString(), new NodeAccess(NodeAccess.Type.SSH, null, null, null, "127.0.0.1",
                            server.port(), "cpr", null, null));
            try (SshNodeControl ssh = new SshNodeControl(new SshExecutor(key, Optional.empty(), hosts,
                    new SshExecutor.Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(10))),
                    new SshNodeControl.Settings(SshCommands.systemd(), new DataDirGuard(List.of(dir.toString())), 22,
                            "root"))) {
                AccessRoutingNodeControl nodes = new AccessRoutingNodeControl(new LocalNodeControl(), () -> ssh, () -> {
                    throw new AssertionError("BOSH node access must not be made without bosh members");
                });

                // when both are asked the same things
                // then each answer comes from its own adapter
                assertThat(nodes.hasData(local)).isTrue();
                assertThat(nodes.exists(local, localData.toString())).isTrue();
                assertThat(ssh.transcript("etcd-1")).isEmpty();
                assertThat(nodes.hasData(remote)).isTrue();
                assertThat(nodes.exists(remote, sshData.toString())).isTrue();
                assertThat(ssh.transcript("etcd-2")).hasSize(2);
                nodes.wipe(remote);
                assertThat(sshData).doesNotExist();
                assertThat(localData).exists();
            }
        }
    }

    @Test
    void boshMembersGoToTheBoshNodeControl() throws Exception {
        // given a bosh member and a BOSH node control that records what it is asked
        MemberSpec bosh = new MemberSpec("etcd-3", "http://127.0.0.1:1", "http://127.0.0.1:2", "/var/vcap/store/etcd",
                new NodeAccess(NodeAccess.Type.BOSH, null, null, null, null, null, null, "pks", "master/0"));
        List<String> asked = new java.util.ArrayList<>();
        dev.cpr.restore.domain.etcd.NodeControl recording = new dev.cpr.restore.domain.etcd.NodeControl() {
            @Override
            public boolean isRunning(MemberSpec member) {
                asked.add("isRunning " + member.name());
                return true;
            }

            @Override
            public void stop(MemberSpec member) {
                asked.add("stop " + member.name());
            }

            @Override
            public boolean hasData(MemberSpec member) {
                asked.add("hasData " + member.name());
                return false;
            }

            @Override
            public void wipe(MemberSpec member) {
                asked.add("wipe " + member.name());
            }

            @Override
            public void start(dev.cpr.contracts.inventory.ClusterSpec cluster, MemberSpec member, String initialCluster) {
                asked.add("start " + member.name());
            }
        };
        AccessRoutingNodeControl nodes = new AccessRoutingNodeControl(new LocalNodeControl(), () -> {
            throw new AssertionError("ssh must not be made for a bosh member");
        }, () -> recording);

        // when it is stopped, wiped and asked about
        boolean running = nodes.isRunning(bosh);
        nodes.stop(bosh);
        nodes.wipe(bosh);

        // then every call reached the BOSH node control
        assertThat(running).isTrue();
        assertThat(asked).containsExactly("isRunning etcd-3", "stop etcd-3", "wipe etcd-3");
    }
}
