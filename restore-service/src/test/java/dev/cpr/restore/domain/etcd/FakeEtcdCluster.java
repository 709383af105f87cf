package dev.cpr.restore.domain.etcd;

import dev.cpr.contracts.inventory.ClusterKind;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.contracts.inventory.NodeAccess;
import dev.cpr.contracts.inventory.RecoveryPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An in-memory etcd cluster and its nodes: the domain test double for the {@link EtcdAdmin} and
 * {@link NodeControl} ports. It keeps the rules the plan relies on (a removed member is gone from the
 * list, an added member is unnamed until it starts, a started member joins with a new id).
 */
public final class FakeEtcdCluster implements EtcdAdmin, NodeControl {

    public final ClusterSpec spec;
    private final Map<Long, EtcdMember> members = new LinkedHashMap<>();
    // thread-safe: a quorum restore works on its members in parallel
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final Set<String> withData = ConcurrentHashMap.newKeySet();
    private final Set<String> hung = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> calls = new ConcurrentHashMap<>();
    private long nextId = 100;
    private long leaderId;
    private int unhealthyAddAnswers;
    private int electionAfter = -1;
    public String lastInitialCluster;
    /** What {@link #keyspace} answers. */
    public long keyCount = 10_000;
    public long revision = 10_001;
    /** Paths that exist on the fake nodes (data dirs, markers, moved-aside dirs). */
    public final Set<String> paths = ConcurrentHashMap.newKeySet();
    /** Every command run on a node, as "member: argv". */
    public final List<String> commands = new CopyOnWriteArrayList<>();
    /** Tokens and states members were started with, as "member new token". */
    public final List<String> starts = new CopyOnWriteArrayList<>();
    /** Order of stops. */
    public final List<String> stopped = new CopyOnWriteArrayList<>();
    /** Exit code of {@code sh -c} hooks. */
    public int hookExitCode;
    /** v2 keys put so far (each putV2 puts the export's key count, passed in by the test through v2ExportKeys). */
    public long v2Keys;
    public long v2ExportKeys = 7;

    @Override
    public long putV2(String clientUrl, Path export) {
        v2Keys += v2ExportKeys;
        return v2ExportKeys;
    }

    @Override
    public long countV2(String clientUrl) {
        return v2Keys;
    }

    /** The revision every member answers in its status. */
    public long statusRevision = 7;

    /** The member's data dir holds member/wal and member/snap/db (what a survey and a survivor rebuild look for). */
    public void withMemberFiles(String name) {
        String dir = member(name).dataDir();
        paths.add(dir + "/member/wal");
        paths.add(dir + "/member/snap/db");
    }

    /** Whether etcdutl exists on the nodes (else only etcdctl). */
    public boolean etcdutl;

    /** What the nodes' etcd answers to {@code etcd --version}. */
    public String etcdVersion = "3.4.23";
    /** {@code /version}'s {@code etcdcluster}: answered {@code not_decided} this many times first, then "3.4.0". */
    public int clusterVersionUndecidedAnswers;
    /** How many members were added while the cluster version was still undecided (etcd would refuse each). */
    public int addsWhileUndecided;

    public FakeEtcdCluster(String id, RecoveryPolicy policy, String... names) {
        List<MemberSpec> specs = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            specs.add(new MemberSpec(names[i], "http://127.0.0.1:" + (2379 + 10 * i), "http://127.0.0.1:" + (2380 + 10 * i),
                    "/data/" + names[i], NodeAccess.local("etcd", null, null)));
        }
        this.spec = new ClusterSpec(id, ClusterKind.ETCD, null, null, specs, policy);
        for (MemberSpec m : specs) {
            long memberId = nextId++;
            members.put(memberId, new EtcdMember(memberId, m.name(), List.of(m.peerUrl()), List.of(m.clientUrl())));
            running.add(m.name());
            withData.add(m.name());
            paths.add(m.dataDir());
        }
        leaderId = members.keySet().iterator().next();
    }

    public FakeEtcdCluster(String... names) {
        this("test", null, names);
    }

    /** The member died and its WAL is gone. */
    public void crash(String name) {
        running.remove(name);
    }

    /** The member's process died; its data directory is intact. */
    public void processDied(String name) {
        running.remove(name);
    }

    /**
     * The member was killed and its process is still going: it answers nothing, and the next {@code looks} checks still
     * find its process (a process killed with SIGKILL closes its sockets before it is gone), then it is down with its
     * data intact.
     */
    public void dying(String name, int looks) {
        hang(name);
        dyingLooks.put(name, looks);
    }

    private final Map<String, Integer> dyingLooks = new ConcurrentHashMap<>();

    /** The next time the member is started on its data, its process exits at once (a crash loop). */
    public void nextStartExits(String name) {
        exitOnNextStart.add(name);
    }

    private final Set<String> exitOnNextStart = ConcurrentHashMap.newKeySet();

    /** The member's data directory is gone. */
    public void dataLost(String name) {
        withData.remove(name);
    }

    /** The member's process runs but answers nothing (hung, or still replaying its WAL) until it is stopped. */
    public void hang(String name) {
        hung.add(name);
    }

    /** How long a status call to a hung member takes before it gives up, as a real one takes its timeout. */
    public long hungStatusMillis;

    /** The member was the leader: the others keep naming it for this many status answers, then elect another. */
    public void leaderWas(String name, int statusAnswersUntilElection) {
        leaderId = listed(name).orElseThrow().id();
        electionAfter = statusAnswersUntilElection;
    }

    public void answerUnhealthyOnAdd(int times) {
        unhealthyAddAnswers = times;
    }

    public int calls(String operation) {
        return calls.getOrDefault(operation, 0);
    }

    public Optional<EtcdMember> listed(String name) {
        return members.values().stream().filter(m -> m.name().equals(name)).findFirst();
    }

    public MemberSpec member(String name) {
        return spec.member(name).orElseThrow();
    }

    private void count(String op) {
        calls.merge(op, 1, Integer::sum);
    }

    @Override
    public List<EtcdMember> members(ClusterSpec cluster) {
        return List.copyOf(members.values());
    }

    @Override
    public void removeMember(ClusterSpec cluster, long memberId) {
        count("remove");
        if (members.values().stream().noneMatch(m -> m.id() == leaderId && running.contains(m.name()))) {
            throw new EtcdAdminException("member remove timed out: no leader");
        }
        if (members.remove(memberId) == null) {
            throw new EtcdAdminException("etcdserver: member not found");
        }
    }

    @Override
    public Optional<String> clusterVersion(String clientUrl) {
        if (clusterVersionUndecidedAnswers > 0) {
            clusterVersionUndecidedAnswers--;
            return Optional.of("not_decided");
        }
        return Optional.of("3.4.0");
    }

    @Override
    public EtcdMember addMember(ClusterSpec cluster, String peerUrl) {
        count("add");
        if (clusterVersionUndecidedAnswers > 0) {
            addsWhileUndecided++;
        }
        if (unhealthyAddAnswers > 0) {
            unhealthyAddAnswers--;
            throw new EtcdAdminException("etcdserver: unhealthy cluster");
        }
        long id = nextId++;
        EtcdMember added = new EtcdMember(id, "", List.of(peerUrl), List.of());
        members.put(id, added);
        return added;
    }

    @Override
    public Optional<MemberStatus> status(String clientUrl) {
        MemberSpec m = spec.members().stream().filter(s -> s.clientUrl().equals(clientUrl)).findFirst().orElseThrow();
        Optional<EtcdMember> listed = listed(m.name());
        if (hung.contains(m.name())) {
            count("status-of-hung");
            try {
                Thread.sleep(hungStatusMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Optional.empty();
        }
        if (!running.contains(m.name()) || listed.isEmpty()) {
            return Optional.empty();
        }
        if (electionAfter > 0 && --electionAfter == 0) {
            leaderId = members.values().stream().filter(e -> running.contains(e.name())).findFirst().orElseThrow().id();
        }
        return Optional.of(new MemberStatus(clientUrl, listed.get().id(), leaderId, 42, statusRevision));
    }

    @Override
    public long snapshot(String clientUrl, Path target) {
        count("snapshot");
        try {
            Files.writeString(target, "snapshot of " + spec.id());
            return Files.size(target);
        } catch (IOException e) {
            throw new EtcdAdminException("write failed", e);
        }
    }

    @Override
    public boolean isRunning(MemberSpec member) {
        Integer looks = dyingLooks.get(member.name());
        if (looks != null) {
            if (looks > 0) {
                dyingLooks.put(member.name(), looks - 1);
                return true;
            }
            dyingLooks.remove(member.name());
            hung.remove(member.name());
            running.remove(member.name());
        }
        return running.contains(member.name());
    }

    @Override
    public void stop(MemberSpec member) {
        count("stop");
        stopped.add(member.name());
        running.remove(member.name());
        hung.remove(member.name());
    }

    @Override
    public Keyspace keyspace(ClusterSpec cluster) {
        if (running.isEmpty()) {
            throw new EtcdAdminException("no member answers");
        }
        return new Keyspace(keyCount, revision);
    }

    @Override
    public void start(ClusterSpec cluster, MemberSpec member, String initialCluster, ClusterState state, String token) {
        count("start-" + state.name().toLowerCase());
        if (state == ClusterState.NEW) {
            // a new cluster has exactly the members of its --initial-cluster (a rebuild from one survivor: just it)
            List<String> names = java.util.Arrays.stream(initialCluster.split(",")).map(e -> e.split("=")[0]).toList();
            members.values().removeIf(m -> !names.contains(m.name()));
        }
        starts.add(member.name() + " " + state.name().toLowerCase() + " " + token);
        running.add(member.name());
    }

    @Override
    public CommandOutcome exec(MemberSpec member, List<String> argv, java.time.Duration timeout) throws IOException {
        commands.add(member.name() + ": " + String.join(" ", argv));
        String tool = argv.get(0);
        if (tool.endsWith("etcdutl") && !etcdutl) {
            throw new IOException("Cannot run program \"" + tool + "\": error=2, No such file or directory");
        }
        if (argv.size() == 2 && argv.get(1).equals("--version")) {
            return new CommandOutcome(0, "etcd Version: " + etcdVersion + "\nGit SHA: fake\n");
        }
        if (argv.size() > 1 && argv.get(1).equals("version")) {
            return new CommandOutcome(0, tool + " version: 3.4.23");
        }
        if (argv.size() > 2 && argv.get(1).equals("snapshot") && argv.get(2).equals("restore")) {
            count("restore");
            String dataDir = argv.get(argv.indexOf("--data-dir") + 1);
            if (paths.contains(dataDir)) {
                return new CommandOutcome(1, "Error: data-dir \"" + dataDir + "\" exists");
            }
            paths.add(dataDir);
            return new CommandOutcome(0, "restored");
        }
        if (argv.size() > 2 && argv.get(1).equals("snapshot") && argv.get(2).equals("status")) {
            count("snapshot-status");
            return paths.contains(argv.get(3))
                    ? new CommandOutcome(0, "{\"hash\":1,\"revision\":" + revision + ",\"totalKey\":" + keyCount
                            + ",\"totalSize\":20480}")
                    : new CommandOutcome(1, "Error: stat " + argv.get(3) + ": no such file or directory");
        }
        if (tool.equals("cp")) {
            count("cp");
            if (!paths.contains(argv.get(1))) {
                return new CommandOutcome(1, "cp: cannot stat '" + argv.get(1) + "'");
            }
            paths.add(argv.get(2));
            return new CommandOutcome(0, "");
        }
        if (tool.equals("sh")) {
            count("hook");
            return new CommandOutcome(hookExitCode, "ran " + argv.get(2) + " on " + member.name());
        }
        return new CommandOutcome(127, "unknown command");
    }

    @Override
    public boolean exists(MemberSpec member, String path) {
        return paths.contains(path);
    }

    @Override
    public void move(MemberSpec member, String from, String to) throws IOException {
        if (!paths.remove(from)) {
            throw new IOException(from + " does not exist");
        }
        if (!paths.add(to)) {
            throw new IOException(to + " exists");
        }
    }

    @Override
    public void delete(MemberSpec member, String path) {
        paths.remove(path);
    }

    @Override
    public void touch(MemberSpec member, String path) {
        paths.add(path);
    }

    @Override
    public String stage(MemberSpec member, Path localFile) {
        return localFile.toString();
    }

    @Override
    public boolean hasData(MemberSpec member) {
        return withData.contains(member.name());
    }

    @Override
    public void wipe(MemberSpec member) {
        count("wipe");
        withData.remove(member.name());
    }

    @Override
    public void start(ClusterSpec cluster, MemberSpec member, String initialCluster) {
        count("start");
        lastInitialCluster = initialCluster;
        if (exitOnNextStart.remove(member.name())) {
            return;
        }
        EtcdMember added = members.values().stream().filter(m -> m.peerUrls().contains(member.peerUrl()))
                .findFirst().orElseThrow(() -> new IllegalStateException("not added: etcd would refuse to start"));
        members.put(added.id(), new EtcdMember(added.id(), member.name(), added.peerUrls(), List.of(member.clientUrl())));
        running.add(member.name());
        withData.add(member.name());
    }
}
