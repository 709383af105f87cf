package dev.cpr.contracts.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cpr.contracts.inventory.ClusterKind;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.contracts.inventory.NodeAccess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalEtcdMemberTest {

    @TempDir
    Path dir;

    @Test
    void aMemberStartedThroughAWrapperScriptIsRunningBeforeTheScriptExecsEtcd() throws IOException {
        // given a wrapper (as the sandbox's quota flags are passed) that is still the shell for a few seconds
        Path wrapper = dir.resolve("etcd-with-flags");
        Files.writeString(wrapper, "#!/bin/sh\nsleep 30\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));
        MemberSpec spec = new MemberSpec("etcd-1", "http://127.0.0.1:1", "http://127.0.0.1:2",
                dir.resolve("etcd-1").toString(), new NodeAccess(NodeAccess.Type.LOCAL, wrapper.toString(),
                        null, null, null, null, null, null, null));
        LocalEtcdMember member = new LocalEtcdMember(spec);
        ClusterSpec cluster = new ClusterSpec("c", ClusterKind.ETCD, null, null, List.of(spec), null);

        // when it is started and looked at at once
        long pid = member.start(cluster, cluster.initialClusterFlag(), LocalEtcdMember.InitialState.NEW);
        try {
            // then it counts as the member's process: its command line names the wrapper
            assertThat(member.isRunning()).isTrue();
            assertThat(member.process()).map(ProcessHandle::pid).hasValue(pid);
        } finally {
            member.stop(Duration.ofSeconds(2));
        }

        // and once stopped it is not, and its pid file is gone
        assertThat(member.isRunning()).isFalse();
        assertThat(member.pidFile()).doesNotExist();
    }

    @Test
    void aPidFileNamingAProcessThatIsNotEtcdIsNotTheMember() throws IOException {
        // given a pid file left behind, whose pid now belongs to something else (this JVM)
        MemberSpec spec = new MemberSpec("etcd-1", "http://127.0.0.1:1", "http://127.0.0.1:2",
                dir.resolve("etcd-1").toString(), null);
        Files.writeString(Path.of(spec.localPidFile()), Long.toString(ProcessHandle.current().pid()));

        // then the member is not running
        assertThat(new LocalEtcdMember(spec).isRunning()).isFalse();
    }

    @Test
    void aPidFileNamingAProcessThatHasExitedButIsNotYetReapedIsNotTheMemberRunning() throws Exception {
        // given a process that has exited but that its parent does not reap (a zombie), as a member killed after
        // restore-service, which started it, was itself restarted waits for init to reap it
        Process parent = new ProcessBuilder("sh", "-c", "sleep 0.1 & echo $!; exec sleep 30").start();
        try {
            long zombie = Long.parseLong(new java.io.BufferedReader(new java.io.InputStreamReader(
                    parent.getInputStream())).readLine().trim());
            await().atMost(Duration.ofSeconds(10)).until(() -> stateOf(zombie) == 'Z');
            assertThat(ProcessHandle.of(zombie)).as("Java still calls it alive").hasValueSatisfying(
                    process -> assertThat(process.isAlive()).isTrue());
            MemberSpec spec = new MemberSpec("etcd-1", "http://127.0.0.1:1", "http://127.0.0.1:2",
                    dir.resolve("etcd-1").toString(), null);
            Files.writeString(Path.of(spec.localPidFile()), Long.toString(zombie));

            // when the member is looked at, then it is not running
            LocalEtcdMember member = new LocalEtcdMember(spec);
            assertThat(member.isRunning()).isFalse();
            assertThat(member.process()).isEmpty();
        } finally {
            parent.destroyForcibly().waitFor();
        }
    }

    /** The state letter of {@code /proc/<pid>/stat}, after the parenthesised command name. */
    private static char stateOf(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return stat.charAt(stat.lastIndexOf(')') + 2);
    }

    @Test
    void aStoppedProcessForgetsThePidFileOnlyWhileItStillNamesIt() throws Exception {
        // given a pid file rewritten since by another hand that started the member again (this JVM stands for it)
        MemberSpec spec = new MemberSpec("etcd-1", "http://127.0.0.1:1", "http://127.0.0.1:2",
                dir.resolve("etcd-1").toString(), null);
        LocalEtcdMember member = new LocalEtcdMember(spec);
        ProcessHandle restarted = ProcessHandle.current();
        ProcessHandle stopped = ProcessHandle.current().parent().orElseThrow();
        Files.writeString(member.pidFile(), Long.toString(restarted.pid()));

        // when the old process is forgotten, the pid file stays; when the one it names is, it goes
        member.forget(stopped);
        assertThat(member.pidFile()).hasContent(Long.toString(restarted.pid()));
        member.forget(restarted);
        assertThat(member.pidFile()).doesNotExist();
    }

    @Test
    void membersKilledTogetherAreAllGoneWithTheirPidFiles() throws IOException {
        // given two members running (wrappers that would run for 30 s)
        Path wrapper = dir.resolve("etcd-with-flags");
        Files.writeString(wrapper, "#!/bin/sh\nsleep 30\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));
        List<MemberSpec> specs = List.of(1, 2).stream().map(i -> new MemberSpec("etcd-" + i, "http://127.0.0.1:" + i,
                "http://127.0.0.1:1" + i, dir.resolve("etcd-" + i).toString(), new NodeAccess(NodeAccess.Type.LOCAL,
                        wrapper.toString(), null, null, null, null, null, null, null))).toList();
        ClusterSpec cluster = new ClusterSpec("c", ClusterKind.ETCD, null, null, specs, null);
        List<LocalEtcdMember> members = specs.stream().map(LocalEtcdMember::new).toList();
        for (LocalEtcdMember member : members) {
            member.start(cluster, cluster.initialClusterFlag(), LocalEtcdMember.InitialState.NEW);
        }
        List<ProcessHandle> processes = members.stream().map(m -> m.process().orElseThrow()).toList();

        // when they are killed together
        LocalEtcdMember.killTogether(members);

        // then no process is left and no pid file names one
        assertThat(processes).allMatch(LocalEtcdMember::hasExited);
        assertThat(members).allSatisfy(m -> {
            assertThat(m.isRunning()).isFalse();
            assertThat(m.pidFile()).doesNotExist();
        });
    }
}
