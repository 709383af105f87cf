package dev.cpr.restore.adapters.node;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.restore.config.RestoreConfig;
import dev.cpr.restore.domain.etcd.EtcdAdmin;
import dev.cpr.restore.domain.etcd.MemberStatus;
import dev.cpr.restore.domain.etcd.MemberSurvey;
import dev.cpr.restore.domain.etcd.MemberSurveyor;
import dev.cpr.restore.domain.etcd.NodeControl;
import dev.cpr.restore.domain.etcd.SnapshotStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Surveys the members of a cluster (all of them after a quorum loss, the failed one while quorum holds) through each
 * member's node access ({@code local} or {@code ssh}): is the etcd
 * process up, are {@code member/wal} and {@code member/snap/db} there, and which revision does it hold: from the
 * member's own status while it answers, else read from its db with {@code etcdctl snapshot status} (only for a
 * member that is down: a running etcd holds the db's lock). What cannot be learnt is left unknown, never guessed.
 * <p>
 * A member whose process runs but whose status does not answer is hung, or it is dying: a process killed with
 * SIGKILL closes its sockets before it is gone, and the incident can arrive in that moment. Taken for "up", a dying
 * member is not revivable, and the ranking would propose rebuilding from a survivor where starting it again loses
 * nothing. So such members are looked at again, a second apart, a few times: a dying one is then down with its data,
 * a hung one still runs without answering.
 */
@ApplicationScoped
public class NodeMemberSurveyor implements MemberSurveyor {

    private static final Logger LOG = Logger.getLogger(NodeMemberSurveyor.class);
    private static final Duration DB_STATUS_TIMEOUT = Duration.ofSeconds(30);
    static final int SILENT_RELOOKS = 3;

    private final NodeControl nodes;
    private final EtcdAdmin etcd;
    private final String etcdctl;
    private final Duration relookPause;

    @Inject
    public NodeMemberSurveyor(NodeControl nodes, EtcdAdmin etcd, RestoreConfig config) {
        this(nodes, etcd, config.restore().etcdctl(), Duration.ofSeconds(1));
    }

    NodeMemberSurveyor(NodeControl nodes, EtcdAdmin etcd, String etcdctl, Duration relookPause) {
        this.nodes = nodes;
        this.etcd = etcd;
        this.etcdctl = etcdctl;
        this.relookPause = relookPause;
    }

    @Override
    public List<MemberSurvey> survey(ClusterSpec cluster) {
        List<MemberSurvey> surveys = new ArrayList<>();
        for (MemberSpec member : cluster.members()) {
            surveys.add(survey(member, true));
        }
        for (int look = 1; look <= SILENT_RELOOKS && surveys.stream().anyMatch(MemberSurvey::runsSilent); look++) {
            LOG.infof("[cluster=%s] %s running without answering its status: looking again in %d ms (%d of %d)",
                    cluster.id(), String.join(", ", surveys.stream().filter(MemberSurvey::runsSilent)
                            .map(MemberSurvey::member).toList()), relookPause.toMillis(), look, SILENT_RELOOKS);
            if (!pause()) {
                break;
            }
            for (int i = 0; i < surveys.size(); i++) {
                if (surveys.get(i).runsSilent()) {
                    surveys.set(i, survey(cluster.members().get(i), true));
                }
            }
        }
        surveys.forEach(survey -> LOG.infof("[cluster=%s] survey %s", cluster.id(), survey.describe()));
        return surveys;
    }

    private boolean pause() {
        try {
            Thread.sleep(relookPause.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public MemberSurvey survey(ClusterSpec cluster, String member) {
        // what decides between revive and replace is the data being there: its revision is not needed, and reading
        // it from the db would delay the plan
        MemberSurvey survey = cluster.member(member).map(m -> survey(m, false)).orElseGet(() -> new MemberSurvey(member, false,
                false, false, null, null, false, "not in the inventory of " + cluster.id()));
        LOG.infof("[cluster=%s] survey %s", cluster.id(), survey.describe());
        return survey;
    }

    private MemberSurvey survey(MemberSpec member, boolean readDbRevision) {
        boolean up;
        boolean wal;
        boolean db;
        try {
            up = nodes.isRunning(member);
            wal = nodes.exists(member, member.dataDir() + "/member/wal");
            db = nodes.exists(member, dbPath(member));
        } catch (Exception e) {
            return new MemberSurvey(member.name(), false, false, false, null, null, false,
                    "its node could not be asked: " + e.getMessage());
        }
        if (up) {
            Optional<MemberStatus> status = etcd.status(member.clientUrl());
            return status.map(s -> new MemberSurvey(member.name(), true, wal, db, s.revision(), s.raftIndex(),
                    s.hasLeader(), "from its status"))
                    .orElseGet(() -> new MemberSurvey(member.name(), true, wal, db, null, null, false,
                            "running, but its status did not answer"));
        }
        if (!db || !readDbRevision) {
            return new MemberSurvey(member.name(), false, wal, db, null, null, false, null);
        }
        return new MemberSurvey(member.name(), false, wal, true, dbRevision(member).orElse(null), null, false,
                "revision read from member/snap/db");
    }

    private static String dbPath(MemberSpec member) {
        return member.dataDir() + "/member/snap/db";
    }

    private Optional<Long> dbRevision(MemberSpec member) {
        for (String tool : candidates(member)) {
            try {
                NodeControl.CommandOutcome outcome = nodes.exec(member, List.of(tool, "snapshot", "status",
                        dbPath(member), "-w", "json"), DB_STATUS_TIMEOUT);
                if (outcome.ok()) {
                    Optional<SnapshotStatus> status = SnapshotStatus.parse(outcome.output());
                    if (status.isPresent()) {
                        return Optional.of(status.get().revision());
                    }
                }
            } catch (Exception e) {
                LOG.debugf("%s snapshot status on %s: %s", tool, member.name(), e.getMessage());
            }
        }
        return Optional.empty();
    }

    /** etcdctl next to the member's etcd binary first, then as configured. */
    private List<String> candidates(MemberSpec member) {
        List<String> candidates = new ArrayList<>();
        String binary = member.etcdBinary();
        if (!etcdctl.contains("/") && binary != null && binary.contains("/")) {
            candidates.add(binary.substring(0, binary.lastIndexOf('/') + 1) + etcdctl);
        }
        candidates.add(etcdctl);
        return candidates;
    }
}
