package dev.cpr.backup.adapters.etcd;

import dev.cpr.backup.config.BackupConfig;
import dev.cpr.backup.domain.snapshot.MemberState;
import dev.cpr.backup.domain.snapshot.SnapshotFailedException;
import dev.cpr.backup.domain.snapshot.SnapshotSource;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.contracts.tls.ClientTls;
import dev.cpr.contracts.tls.HandshakeFailures;
import dev.cpr.contracts.tls.HandshakeProbe;
import dev.cpr.contracts.tls.TlsMaterialException;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.kv.GetResponse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Probes and snapshots one member through a jetcd client bound to that member alone. The snapshot is
 * jetcd's {@code Maintenance.snapshot(OutputStream)}: each gRPC chunk (32 KiB from etcd) is written to the
 * stream as it arrives, so memory stays flat whatever the database size.
 */
@ApplicationScoped
public class JetcdSnapshotSource implements SnapshotSource {

    private static final Logger LOG = Logger.getLogger(JetcdSnapshotSource.class);

    private final Duration probeTimeout;
    private final Duration streamTimeout;

    @Inject
    public JetcdSnapshotSource(BackupConfig config) {
        this(config.snapshot().probeTimeout(), config.snapshot().streamTimeout());
    }

    /** Outside CDI (the benchmark). */
    public JetcdSnapshotSource(Duration probeTimeout, Duration streamTimeout) {
        this.probeTimeout = probeTimeout;
        this.streamTimeout = streamTimeout;
    }

    @Override
    public MemberState probe(ClusterSpec cluster, MemberSpec member) {
        try (Client client = EtcdClients.forMember(cluster, member, probeTimeout)) {
            GetResponse response = EtcdClients.countAll(client.getKVClient(), probeTimeout);
            return new MemberState(response.getHeader().getRevision(), response.getCount());
        } catch (TlsMaterialException e) {
            // the cluster's own files, not this member: every other member would fail the same way, so say it once
            throw new SnapshotFailedException(e.getMessage(), member.name(), e);
        } catch (ExecutionException e) {
            throw new MemberUnavailableException(HandshakeFailures.describe(cluster.id(), member.name(), cluster.tls(),
                    e.getCause()).orElseGet(() -> describe(e.getCause())), e.getCause());
        } catch (TimeoutException e) {
            throw new MemberUnavailableException(tlsFailure(cluster, member).orElse("no answer within " + probeTimeout), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MemberUnavailableException("interrupted", e);
        }
    }

    @Override
    public void stream(ClusterSpec cluster, MemberSpec member, OutputStream out) {
        DetachableStream guarded = new DetachableStream(out);
        try (Client client = EtcdClients.forMember(cluster, member, probeTimeout)) {
            long bytes = client.getMaintenanceClient().snapshot(guarded)
                    .get(streamTimeout.toMillis(), TimeUnit.MILLISECONDS);
            LOG.debugf("cluster %s: %d snapshot bytes from %s", cluster.id(), bytes, member.name());
        } catch (TlsMaterialException e) {
            throw new SnapshotFailedException(e.getMessage(), member.name(), e);
        } catch (ExecutionException e) {
            throw new SnapshotFailedException("snapshot stream from " + member.name() + " broke off: "
                    + HandshakeFailures.describe(cluster.id(), member.name(), cluster.tls(), e.getCause())
                            .orElseGet(() -> describe(e.getCause())), member.name(), e.getCause());
        } catch (TimeoutException e) {
            throw new SnapshotFailedException("snapshot stream from " + member.name() + " did not finish within "
                    + streamTimeout, member.name(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SnapshotFailedException("interrupted while streaming from " + member.name(), member.name(), e);
        } finally {
            guarded.detach();
        }
        if (guarded.failure != null) {
            throw new SnapshotFailedException("writing the snapshot from " + member.name() + " failed: " + guarded.failure,
                    member.name(), guarded.failure);
        }
    }

    /**
     * jetcd writes from its own event-loop thread; once {@link #detach()} returned, no further chunk reaches the
     * file (a stream that is being abandoned may still deliver a chunk or two while the client closes).
     */
    private static final class DetachableStream extends OutputStream {
        private final OutputStream out;
        private boolean detached;
        private volatile IOException failure;

        DetachableStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public synchronized void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            if (detached) {
                throw new IOException("snapshot stream was abandoned");
            }
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }

        synchronized void detach() {
            detached = true;
        }
    }

    /**
     * jetcd waits for a channel that a failed handshake never makes ready, so a wrong CA looks like silence: one
     * handshake of our own says whether TLS is the reason.
     */
    private Optional<String> tlsFailure(ClusterSpec cluster, MemberSpec member) {
        if (cluster.tls() == null) {
            return Optional.empty();
        }
        ClientTls tls = ClientTls.load(cluster.id(), member.name(), cluster.tls(), Instant.now());
        return HandshakeProbe.probe(tls, member.name(), member.clientUrl(), probeTimeout).failure()
                .filter(reason -> !reason.contains("no TLS answer"));
    }

    /** Every distinct message down the cause chain (jetcd wraps the real reason, e.g. a write error, without one). */
    static String describe(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String part = t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
            if (text.indexOf(part) < 0) {
                text.append(text.length() == 0 ? "" : ": ").append(part);
            }
        }
        return text.toString();
    }
}
