package dev.cpr.restore.adapters.node;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.Inventory;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.contracts.inventory.NodeAccess;
import dev.cpr.contracts.node.LocalEtcdMember;
import dev.cpr.restore.adapters.etcd.ChangeReplayer;
import dev.cpr.restore.adapters.etcd.JetcdEtcdAdmin;
import dev.cpr.restore.app.ScratchClusters;
import dev.cpr.restore.config.RestoreConfig;
import dev.cpr.restore.domain.rehearsal.ScratchCluster;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Scratch clusters of local etcd members: {@code <scratch-dir>/<scratch id>/<member>} on free loopback ports, each
 * member running the configured etcd or, by default, the real member's own etcd (or launcher) when that member is
 * local, so the release (and, in the sandbox, the member certificate's flags) match. Their clients are made for them
 * alone (the service's etcd clients know only the inventory's TLS members) and closed at the tear-down.
 */
@ApplicationScoped
public class LocalScratchClusters implements ScratchClusters {

    private static final Logger LOG = Logger.getLogger(LocalScratchClusters.class);

    private final Path scratchDir;
    private final Optional<String> etcdBinary;
    private final Duration callTimeout;
    private final Duration statusTimeout;
    private final HostMemory memory = new HostMemory();
    /** Per scratch id, what closes its clients. */
    private final Map<String, AutoCloseable> clients = new ConcurrentHashMap<>();

    @Inject
    public LocalScratchClusters(RestoreConfig config) {
        this(Path.of(config.rehearsal().scratchDir()), config.rehearsal().etcdBinary(), config.etcd().callTimeout(),
                config.etcd().statusTimeout());
    }

    public LocalScratchClusters(Path scratchDir, Optional<String> etcdBinary, Duration callTimeout,
            Duration statusTimeout) {
        this.scratchDir = scratchDir.toAbsolutePath().normalize();
        this.etcdBinary = etcdBinary.filter(s -> !s.isBlank());
        this.callTimeout = callTimeout;
        this.statusTimeout = statusTimeout;
    }

    @Override
    public Scratch create(ClusterSpec source, String scratchId) throws IOException {
        Path dir = scratchDir.resolve(scratchId);
        if (Files.exists(dir)) {
            throw new IOException("scratch directory " + dir + " exists already");
        }
        Files.createDirectories(dir);
        List<String> binaries = source.members().stream().map(this::etcdFor).toList();
        ClusterSpec spec = ScratchCluster.of(source, scratchId, dir, freePorts(2 * source.members().size()), binaries);
        Inventory alone = new Inventory(List.of(spec));
        JetcdEtcdAdmin etcd = new JetcdEtcdAdmin(alone, callTimeout, statusTimeout);
        ChangeReplayer replay = new ChangeReplayer(alone, callTimeout);
        clients.put(scratchId, () -> {
            etcd.close();
            replay.close();
        });
        LOG.infof("scratch cluster %s for a rehearsal of %s: %s under %s, etcd %s", scratchId, source.id(),
                spec.clientEndpoints(), dir, binaries.stream().distinct().toList());
        return new Scratch(spec, dir, etcd, replay);
    }

    @Override
    public Room room() throws IOException {
        Path existing = scratchDir;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            throw new IOException("no part of the scratch directory " + scratchDir + " exists");
        }
        return new Room(Files.getFileStore(existing).getUsableSpace(), memory.available());
    }

    /** The real member's etcd when it runs here, so the scratch member runs the same release. */
    private String etcdFor(MemberSpec real) {
        if (etcdBinary.isPresent()) {
            return etcdBinary.get();
        }
        boolean local = real.access() == null || real.access().type() == null
                || real.access().type() == NodeAccess.Type.LOCAL;
        return local ? real.etcdBinary() : "etcd";
    }

    @Override
    public List<String> tearDown(Scratch scratch) {
        List<String> left = new ArrayList<>();
        for (MemberSpec member : scratch.spec().members()) {
            LocalEtcdMember local = new LocalEtcdMember(member);
            try {
                local.kill();
            } catch (IOException | RuntimeException e) {
                LOG.warnf("scratch cluster %s: %s could not be stopped: %s", scratch.spec().id(), member.name(),
                        e.getMessage());
            }
            local.process().ifPresent(p -> left.add(member.name() + " (pid " + p.pid() + ") still running"));
        }
        AutoCloseable closer = clients.remove(scratch.spec().id());
        if (closer != null) {
            try {
                closer.close();
            } catch (Exception e) {
                LOG.warnf("scratch cluster %s: its clients did not close: %s", scratch.spec().id(), e.getMessage());
            }
        }
        if (left.isEmpty()) {
            try {
                LocalEtcdMember.deleteRecursively(scratch.dir());
            } catch (IOException e) {
                LOG.warnf("scratch cluster %s: %s could not be deleted: %s", scratch.spec().id(), scratch.dir(),
                        e.getMessage());
            }
        }
        if (Files.exists(scratch.dir())) {
            left.add("directory " + scratch.dir());
        }
        return left;
    }

    private static List<Integer> freePorts(int count) throws IOException {
        List<ServerSocket> held = new ArrayList<>();
        try {
            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                held.add(socket);
                ports.add(socket.getLocalPort());
            }
            return ports;
        } finally {
            for (ServerSocket socket : held) {
                socket.close();
            }
        }
    }
}
