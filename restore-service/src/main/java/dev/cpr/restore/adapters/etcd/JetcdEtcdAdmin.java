package dev.cpr.restore.adapters.etcd;

import static dev.cpr.restore.adapters.etcd.JetcdCalls.await;
import static dev.cpr.restore.adapters.etcd.JetcdCalls.reason;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.Inventory;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.restore.config.RestoreConfig;
import dev.cpr.restore.domain.etcd.EtcdAdmin;
import dev.cpr.restore.domain.etcd.EtcdMember;
import dev.cpr.restore.domain.etcd.MemberStatus;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.cluster.Member;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.maintenance.AlarmMember;
import io.etcd.jetcd.maintenance.AlarmType;
import io.etcd.jetcd.maintenance.HashKVResponse;
import io.etcd.jetcd.maintenance.StatusResponse;
import io.etcd.jetcd.options.CompactOption;
import io.etcd.jetcd.options.GetOption;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * {@link EtcdAdmin} over jetcd 0.7.7. One client per member endpoint ({@link MemberConnections}), so a call goes to
 * the member it names (a snapshot from a chosen healthy member, the status of one member); cluster-wide calls go to
 * the first member that answers a status request. What jetcd does not offer goes over the member's HTTP endpoints
 * ({@link MemberGateway}, {@link V2Keys}). Every call is blocking with a timeout: run it on a worker thread.
 */
@ApplicationScoped
public class JetcdEtcdAdmin implements EtcdAdmin {

    private static final Logger LOG = Logger.getLogger(JetcdEtcdAdmin.class);

    private final MemberConnections connections;
    private final MemberGateway gateway;
    private final V2Keys v2;
    /** Per cluster id, the client URL that answered last: asked first next time. */
    private final Map<String, String> lastReachable = new ConcurrentHashMap<>();
    private final Duration callTimeout;
    private final Duration statusTimeout;

    /** Plain-HTTP clusters only: every URL is reached without TLS. */
    public JetcdEtcdAdmin(RestoreConfig config) {
        this(config, null);
    }

    /** @param inventory its TLS members are reached with their cluster's client certificate */
    @Inject
    public JetcdEtcdAdmin(RestoreConfig config, Inventory inventory) {
        this(inventory, config.etcd().callTimeout(), config.etcd().statusTimeout());
    }

    /** @param inventory null for plain-HTTP clusters only */
    public JetcdEtcdAdmin(Inventory inventory, Duration callTimeout, Duration statusTimeout) {
        this.callTimeout = callTimeout;
        this.statusTimeout = statusTimeout;
        this.connections = new MemberConnections(inventory);
        this.gateway = new MemberGateway(connections, statusTimeout);
        this.v2 = new V2Keys(connections, callTimeout);
    }

    @Override
    public List<EtcdMember> members(ClusterSpec cluster) {
        Client client = reachable(cluster);
        return await("member list of " + cluster.id(), client.getClusterClient().listMember(), callTimeout)
                .getMembers().stream().map(JetcdEtcdAdmin::member).toList();
    }

    @Override
    public void removeMember(ClusterSpec cluster, long memberId) {
        Client client = reachable(cluster);
        await("member remove " + Long.toHexString(memberId), client.getClusterClient().removeMember(memberId),
                callTimeout);
    }

    @Override
    public EtcdMember addMember(ClusterSpec cluster, String peerUrl) {
        Client client = reachable(cluster);
        return member(await("member add " + peerUrl,
                client.getClusterClient().addMember(List.of(URI.create(peerUrl))), callTimeout).getMember());
    }

    @Override
    public Optional<String> version(String clientUrl) {
        try {
            return Optional.of(statusOf(clientUrl).getVersion());
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.debugf("version of %s: %s", clientUrl, reason(e));
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    @Override
    public Optional<MemberStatus> status(String clientUrl) {
        try {
            StatusResponse status = statusOf(clientUrl);
            return Optional.of(new MemberStatus(clientUrl, status.getHeader().getMemberId(), status.getLeader(),
                    status.getRaftIndex(), status.getHeader().getRevision()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException | TimeoutException e) {
            LOG.debugf("status of %s: %s", clientUrl, reason(e));
            connections.noteStatusFailure(clientUrl, e, statusTimeout);
            return Optional.empty();
        }
    }

    private StatusResponse statusOf(String clientUrl)
            throws InterruptedException, ExecutionException, TimeoutException {
        return connections.client(clientUrl).getMaintenanceClient().statusMember(connections.target(clientUrl))
                .get(statusTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public Keyspace keyspace(ClusterSpec cluster) {
        ByteSequence zero = ByteSequence.from(new byte[] {0});
        GetResponse response = await("key count of " + cluster.id(), reachable(cluster).getKVClient()
                .get(zero, GetOption.builder().withRange(zero).withCountOnly(true).build()), callTimeout);
        return new Keyspace(response.getCount(), response.getHeader().getRevision());
    }

    @Override
    public long putV2(String clientUrl, Path export) {
        return v2.put(clientUrl, export);
    }

    @Override
    public long countV2(String clientUrl) {
        return v2.count(clientUrl);
    }

    @Override
    public long snapshot(String clientUrl, Path target) {
        try (OutputStream out = Files.newOutputStream(target)) {
            return await("snapshot from " + clientUrl, connections.client(clientUrl).getMaintenanceClient().snapshot(out),
                    callTimeout.multipliedBy(10));
        } catch (IOException e) {
            throw new EtcdAdminException("cannot write snapshot " + target + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<MemberSpace> space(String clientUrl) {
        return gateway.space(clientUrl);
    }

    @Override
    public Optional<KeyspaceHash> hashKv(ClusterSpec cluster, long revision) {
        String member = reachableUrl(cluster);
        try {
            HashKVResponse answer = await("HashKV of " + cluster.id() + " at " + revision, connections.client(member)
                    .getMaintenanceClient().hashKV(connections.target(member), revision), callTimeout);
            return Optional.of(new KeyspaceHash(revision, Integer.toUnsignedLong(answer.getHash()),
                    answer.getCompacted()));
        } catch (EtcdAdminException e) {
            if (String.valueOf(e.getMessage()).contains("compacted")) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public void compact(ClusterSpec cluster, long revision) {
        await("compact at " + revision, reachable(cluster).getKVClient().compact(revision,
                CompactOption.builder().withCompactPhysical(true).build()), callTimeout.multipliedBy(10));
    }

    @Override
    public void defragment(String clientUrl) {
        await("defragment " + clientUrl, connections.client(clientUrl).getMaintenanceClient()
                .defragmentMember(connections.target(clientUrl)), callTimeout.multipliedBy(30));
    }

    @Override
    public List<Alarm> alarms(ClusterSpec cluster) {
        return await("alarm list of " + cluster.id(), reachable(cluster).getMaintenanceClient().listAlarms(), callTimeout)
                .getAlarms().stream()
                // jetcd 0.7.7 knows NOSPACE only; CORRUPT arrives as UNRECOGNIZED
                .map(a -> new Alarm(a.getMemberId(), a.getAlarmType() == AlarmType.NOSPACE ? "NOSPACE"
                        : a.getAlarmType() == AlarmType.UNRECOGNIZED ? "CORRUPT" : a.getAlarmType().name()))
                .toList();
    }

    @Override
    public void disarm(ClusterSpec cluster, Alarm alarm) {
        if (!"NOSPACE".equals(alarm.type())) {
            throw new EtcdAdminException("only NOSPACE alarms are disarmed here, not " + alarm.type());
        }
        await("alarm disarm NOSPACE on " + Long.toHexString(alarm.memberId()), reachable(cluster).getMaintenanceClient()
                .alarmDisarm(new AlarmMember(alarm.memberId(), AlarmType.NOSPACE)), callTimeout);
    }

    @Override
    public void putAndDelete(ClusterSpec cluster, String key) {
        Client client = reachable(cluster);
        ByteSequence k = ByteSequence.from(key, StandardCharsets.UTF_8);
        await("put " + key, client.getKVClient().put(k, ByteSequence.from("ok", StandardCharsets.UTF_8)), callTimeout);
        await("delete " + key, client.getKVClient().delete(k), callTimeout);
    }

    @Override
    public Optional<String> clusterVersion(String clientUrl) {
        return gateway.clusterVersion(clientUrl);
    }

    @Override
    public Optional<Long> quotaBytes(String clientUrl) {
        return gateway.quotaBytes(clientUrl);
    }

    /** The client URL of the first member that answers a status request. */
    private String reachableUrl(ClusterSpec cluster) {
        reachable(cluster);
        return lastReachable.get(cluster.id());
    }

    /** The client of the first member that answers a status request. */
    private Client reachable(ClusterSpec cluster) {
        String last = lastReachable.get(cluster.id());
        if (last != null && status(last).isPresent()) {
            return connections.client(last);
        }
        for (MemberSpec member : cluster.members()) {
            if (!member.clientUrl().equals(last) && status(member.clientUrl()).isPresent()) {
                lastReachable.put(cluster.id(), member.clientUrl());
                return connections.client(member.clientUrl());
            }
        }
        List<String> tls = cluster.members().stream().map(m -> connections.tlsFailure(m.clientUrl()).orElse(null))
                .filter(Objects::nonNull).distinct().toList();
        throw new EtcdAdminException("no member of " + cluster.id() + " answers (" + cluster.clientEndpoints() + ")"
                + (tls.isEmpty() ? "" : ": " + String.join("; ", tls)));
    }

    private static EtcdMember member(Member m) {
        return new EtcdMember(m.getId(), m.getName(),
                m.getPeerURIs().stream().map(JetcdEtcdAdmin::url).toList(),
                m.getClientURIs().stream().map(JetcdEtcdAdmin::url).toList());
    }

    /** etcd lists {@code http://127.0.0.1:2380}; URI.toString keeps that form. */
    private static String url(URI uri) {
        String s = uri.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    @PreDestroy
    public void close() {
        connections.close();
    }
}
