package dev.cpr.restore.adapters.node;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.contracts.inventory.NodeAccess;
import dev.cpr.contracts.node.LocalEtcdMember;
import dev.cpr.restore.domain.etcd.NodeControl;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@link NodeControl} for {@code access: local}: the member is an etcd process on this host, known by
 * its pid file (contracts' {@link LocalEtcdMember}). Members with other access types are refused with
 * a clear message until their adapters exist.
 */
@ApplicationScoped
public class LocalNodeControl implements NodeControl {

    private static final Duration STOP_GRACE = Duration.ofSeconds(5);

    @Override
    public boolean isRunning(MemberSpec member) {
        return local(member).isRunning();
    }

    @Override
    public void stop(MemberSpec member) throws IOException {
        local(member).stop(STOP_GRACE);
    }

    @Override
    public boolean hasData(MemberSpec member) {
        return Files.exists(local(member).dataDir());
    }

    @Override
    public void wipe(MemberSpec member) throws IOException {
        local(member).wipe();
    }

    @Override
    public void start(ClusterSpec cluster, MemberSpec member, String initialCluster) throws IOException {
        local(member).start(cluster, initialCluster, LocalEtcdMember.InitialState.EXISTING);
    }

    /** The cluster's spec with another token: what {@link LocalEtcdMember} passes as --initial-cluster-token. */
    @Override
    public void start(ClusterSpec cluster, MemberSpec member, String initialCluster, ClusterState state, String token)
            throws IOException {
        ClusterSpec withToken = new ClusterSpec(cluster.id(), cluster.kind(), token, cluster.tls(), cluster.members(),
                cluster.policy());
        local(member).start(withToken, initialCluster, state == ClusterState.NEW
                ? LocalEtcdMember.InitialState.NEW : LocalEtcdMember.InitialState.EXISTING);
    }

    @Override
    public CommandOutcome exec(MemberSpec member, List<String> argv, Duration timeout) throws IOException {
        local(member);
        Process process = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        try {
            java.util.concurrent.CompletableFuture<String> output = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try (var in = process.getInputStream()) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    return "(output lost: " + e.getMessage() + ")";
                }
            });
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", argv) + " did not finish within " + timeout.toSeconds() + " s");
            }
            return new CommandOutcome(process.exitValue(), output.get(5, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + argv.get(0), e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return new CommandOutcome(process.exitValue(), "(output not read: " + e.getMessage() + ")");
        }
    }

    @Override
    public boolean exists(MemberSpec member, String path) {
        local(member);
        return Files.exists(Path.of(path));
    }

    @Override
    public void move(MemberSpec member, String from, String to) throws IOException {
        local(member);
        Files.move(Path.of(from), Path.of(to), StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public void delete(MemberSpec member, String path) throws IOException {
        local(member);
        LocalEtcdMember.deleteRecursively(Path.of(path));
    }

    @Override
    public void touch(MemberSpec member, String path) throws IOException {
        local(member);
        Path file = Path.of(path);
        if (!Files.exists(file)) {
            Files.createFile(file);
        }
    }

    /** A local member reads the snapshot where it was downloaded. */
    @Override
    public String stage(MemberSpec member, Path localFile) {
        local(member);
        return localFile.toAbsolutePath().toString();
    }

    private static LocalEtcdMember local(MemberSpec member) {
        NodeAccess.Type type = member.access() != null && member.access().type() != null
                ? member.access().type() : NodeAccess.Type.LOCAL;
        if (type != NodeAccess.Type.LOCAL) {
            throw new UnsupportedOperationException("member " + member.name() + " has access '"
                    + type.name().toLowerCase() + "': only local node access is implemented so far");
        }
        return new LocalEtcdMember(member);
    }
}
