package dev.cpr.restore.domain.etcd;

import dev.cpr.contracts.inventory.ClusterKind;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.contracts.inventory.NodeAccess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An in-memory etcd cluster past its quota, for {@link EtcdSpaceRecoverPlan}: each member's database holds the live
 * data plus history; compaction turns the history into free pages, a defragmentation gives them back. A
 * defragmentation the server is still running (restore-service died during the call) stays in progress until that
 * member is defragmented again; starting another member's meanwhile is recorded as a violation.
 */
final class FakeSpaceCluster implements EtcdAdmin {

    final ClusterSpec spec;
    final long quota;
    final Map<String, Long> live = new LinkedHashMap<>();
    final Map<String, Long> history = new LinkedHashMap<>();
    final Map<String, Long> free = new LinkedHashMap<>();
    final Set<String> alarmed = new HashSet<>();
    final Set<String> inProgress = new HashSet<>();
    final List<String> defragmented = new ArrayList<>();
    final List<String> violations = new ArrayList<>();
    final List<String> writes = new ArrayList<>();
    String leader;
    long revision = 5_000;
    long compactedAt;
    long keys = 10_000;

    FakeSpaceCluster(long quota, long liveBytes, String... names) {
        List<MemberSpec> specs = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            specs.add(new MemberSpec(names[i], "http://127.0.0.1:" + (2379 + 10 * i), "http://127.0.0.1:" + (2380 + 10 * i),
                    "/data/" + names[i], NodeAccess.local("etcd", null, null)));
            live.put(names[i], liveBytes);
            history.put(names[i], quota - liveBytes);
            free.put(names[i], 0L);
            alarmed.add(names[i]);
        }
        this.spec = new ClusterSpec("space", ClusterKind.ETCD, null, null, specs, null);
        this.quota = quota;
        this.leader = names[0];
    }

    private String nameOf(String clientUrl) {
        return spec.members().stream().filter(m -> m.clientUrl().equals(clientUrl)).findFirst().orElseThrow().name();
    }

    long size(String member) {
        return live.get(member) + history.get(member) + free.get(member);
    }

    @Override
    public Optional<MemberSpace> space(String clientUrl) {
        String name = nameOf(clientUrl);
        return Optional.of(new MemberSpace(clientUrl, size(name), live.get(name) + history.get(name),
                name.equals(leader)));
    }

    @Override
    public void compact(ClusterSpec cluster, long at) {
        if (at <= compactedAt) {
            throw new EtcdAdminException("etcdserver: mvcc: required revision has been compacted");
        }
        compactedAt = at;
        history.replaceAll((member, bytes) -> {
            free.merge(member, bytes, Long::sum);
            return 0L;
        });
    }

    @Override
    public void defragment(String clientUrl) {
        String name = nameOf(clientUrl);
        inProgress.stream().filter(other -> !other.equals(name))
                .forEach(other -> violations.add(name + " started while " + other + " was still defragmenting"));
        inProgress.remove(name);
        free.put(name, 0L);
        defragmented.add(name);
    }

    /** restore-service died while {@code member}'s defragmentation ran: the server carries on with it. */
    void diedDuringDefragmentOf(String member) {
        inProgress.add(member);
    }

    @Override
    public List<Alarm> alarms(ClusterSpec cluster) {
        List<Alarm> alarms = new ArrayList<>();
        int i = 0;
        for (String name : live.keySet()) {
            i++;
            if (alarmed.contains(name)) {
                alarms.add(new Alarm(i, "NOSPACE"));
            }
        }
        return alarms;
    }

    @Override
    public void disarm(ClusterSpec cluster, Alarm alarm) {
        alarmed.remove(new ArrayList<>(live.keySet()).get((int) alarm.memberId() - 1));
    }

    @Override
    public void putAndDelete(ClusterSpec cluster, String key) {
        if (!alarmed.isEmpty()) {
            throw new EtcdAdminException("etcdserver: mvcc: database space exceeded");
        }
        writes.add(key);
    }

    @Override
    public Optional<Long> quotaBytes(String clientUrl) {
        return Optional.of(quota);
    }

    @Override
    public Keyspace keyspace(ClusterSpec cluster) {
        return new Keyspace(keys, revision);
    }

    @Override
    public List<EtcdMember> members(ClusterSpec cluster) {
        List<EtcdMember> members = new ArrayList<>();
        int i = 0;
        for (MemberSpec m : spec.members()) {
            members.add(new EtcdMember(++i, m.name(), List.of(m.peerUrl()), List.of(m.clientUrl())));
        }
        return members;
    }

    @Override
    public void removeMember(ClusterSpec cluster, long memberId) {
        throw new UnsupportedOperationException("a space recovery never removes a member");
    }

    @Override
    public EtcdMember addMember(ClusterSpec cluster, String peerUrl) {
        throw new UnsupportedOperationException("a space recovery never adds a member");
    }

    @Override
    public Optional<MemberStatus> status(String clientUrl) {
        throw new UnsupportedOperationException("not asked");
    }

    @Override
    public long snapshot(String clientUrl, Path target) {
        throw new UnsupportedOperationException("a space recovery takes no snapshot");
    }
}
