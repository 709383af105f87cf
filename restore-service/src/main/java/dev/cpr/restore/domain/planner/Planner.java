package dev.cpr.restore.domain.planner;

import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.contracts.inventory.ClusterKind;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.Inventory;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.contracts.inventory.NodeAccess;
import dev.cpr.contracts.inventory.RecoveryMode;
import dev.cpr.contracts.recovery.PlanNames;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.kernel.MeltdownGuard;
import dev.cpr.restore.domain.bbr.BbrArtifactCatalog;
import dev.cpr.restore.domain.etcd.MemberSurvey;
import dev.cpr.restore.domain.etcd.MemberSurveyor;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import dev.cpr.restore.domain.plans.BbrRestoreType;
import dev.cpr.restore.domain.plans.BoshCloudCheckType;
import dev.cpr.restore.domain.plans.EtcdMemberReplaceType;
import dev.cpr.restore.domain.plans.EtcdMemberReviveType;
import dev.cpr.restore.domain.plans.EtcdQuorumRestoreType;
import dev.cpr.restore.domain.plans.EtcdQuorumReviveType;
import dev.cpr.restore.domain.plans.EtcdSurvivorRebuildType;
import dev.cpr.restore.domain.plans.PlanTypes;
import dev.cpr.restore.domain.plans.SnapshotChoice;
import dev.cpr.restore.domain.pointintime.ChangeLogSource;
import dev.cpr.restore.domain.snapshot.SnapshotCatalog;
import dev.cpr.restore.domain.snapshot.SnapshotRef;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Chooses what to do about an opened incident; the caller persists the result. Its only I/O is asking
 * backup-service's catalog (ports) for the snapshot or bbr artifact a restore would use.
 * <ul>
 *   <li>MEMBER_UNHEALTHY with quorum holding, for the first failed member (one member at a time; the others wait
 *       for a later incident): on a plain etcd cluster the member is surveyed first, and if its data directory is
 *       intact {@code etcd-member-revive} starts it again (or gives it time while it restarts) and replaces it only
 *       if it does not come back; otherwise {@code etcd-member-replace}. The meltdown guard: when the policy
 *       would run it by itself (auto) but at least {@code min-down} members AND at least {@code min-percent}
 *       % of the cluster are down at once, nothing runs by itself: the plan is proposed notify-only with
 *       the reason (BOSH resurrector's rule, defaults 5 and 20 %); and the same across clusters
 *       ({@link FleetGuard}): when too many clusters are being recovered at once, a shared cause is likely and the
 *       next automatic member plan is proposed instead;</li>
 *   <li>QUORUM_LOST on a plain etcd cluster (every member {@code local} or {@code ssh}): the members are surveyed
 *       (a quorum of them found following a leader again: no plan) and the least destructive way out is proposed
 *       ({@link QuorumOptions}): {@code etcd-quorum-revive},
 *       {@code etcd-survivor-rebuild}, or, only when no member's data survives, {@code etcd-quorum-restore}; the
 *       plan carries every option with what it would lose;</li>
 *   <li>QUORUM_LOST otherwise (no survey): {@code etcd-quorum-restore} from the newest VERIFIED snapshot of the catalog; without
 *       one (none verified, or backup-service unreachable) the plan is stored FAILED at once with the reason
 *       (never a made-up snapshot). Either way a quorum restore goes on to the newest point backup-service's change
 *       log reaches after its snapshot, when it reaches any ({@link dev.cpr.restore.domain.pointintime.NewestPoint});
 *       otherwise it restores the snapshot only, and its message says which;</li>
 *   <li>{@code kind: bosh} clusters: see {@link BoshPlanning}: {@code bosh-cloud-check} for the first failed master,
 *       never anything for a BOSH meltdown; QUORUM_LOST: {@code bbr-deployment-restore} from the newest VERIFIED
 *       bbr deployment artifact (FAILED at once, with the reason, without one); director unreachable:
 *       {@code bbr-director-restore} from the newest verified director artifact (skipped without one);</li>
 *   <li>SPACE_EXHAUSTED, SPACE_LOW, DATA_CORRUPT (any kind of cluster): see {@link AlarmPlanning}: never a
 *       restore; {@code etcd-space-recover} for NOSPACE, a member replace waiting for approval for corruption;</li>
 *   <li>an unknown cluster or member: skipped.</li>
 * </ul>
 * The plan's first state follows the cluster policy: auto RUNNING, approval AWAITING_APPROVAL,
 * notify-only PROPOSED (default: member replace auto, quorum restore approval).
 */
public final class Planner {

    public sealed interface Planning permits Create, Skip {
    }

    /** @param waiting failed members not handled by this plan (one member at a time) */
    public record Create(RecoveryPlan plan, List<String> waiting) implements Planning {
    }

    /** @param warning whether a person should look at it rather than just a no-op */
    public record Skip(String reason, boolean warning) implements Planning {
    }

    private final Inventory inventory;
    private final SnapshotCatalog catalog;
    private final BbrArtifactCatalog artifacts;
    private final MeltdownGuard meltdown;
    private final MemberSurveyor surveyor;
    private final ChangeLogSource changeLog;
    private final FleetGuard fleet;

    /**
     * @param surveyor  looks at the members after a quorum loss; null: always propose the snapshot restore
     * @param changeLog backup-service's change log, where a point-in-time trigger's time becomes a revision; null:
     *                  none configured
     */
    public Planner(Inventory inventory, SnapshotCatalog catalog, BbrArtifactCatalog artifacts, MeltdownGuard meltdown,
            MemberSurveyor surveyor, ChangeLogSource changeLog) {
        this(inventory, catalog, artifacts, meltdown, surveyor, changeLog, FleetGuard.OFF);
    }

    private Planner(Inventory inventory, SnapshotCatalog catalog, BbrArtifactCatalog artifacts, MeltdownGuard meltdown,
            MemberSurveyor surveyor, ChangeLogSource changeLog, FleetGuard fleet) {
        this.inventory = inventory;
        this.catalog = catalog;
        this.artifacts = artifacts;
        this.meltdown = meltdown;
        this.surveyor = surveyor;
        this.changeLog = changeLog;
        this.fleet = fleet;
    }

    /** This planner with the meltdown guard across clusters ({@link FleetGuard}); without one, none applies. */
    public Planner withFleetGuard(FleetGuard fleet) {
        return new Planner(inventory, catalog, artifacts, meltdown, surveyor, changeLog, fleet);
    }

    /** @param surveyor looks at the members after a quorum loss; null: always propose the snapshot restore */
    public Planner(Inventory inventory, SnapshotCatalog catalog, BbrArtifactCatalog artifacts, MeltdownGuard meltdown,
            MemberSurveyor surveyor) {
        this(inventory, catalog, artifacts, meltdown, surveyor, null);
    }

    public Planner(Inventory inventory, SnapshotCatalog catalog, BbrArtifactCatalog artifacts, MeltdownGuard meltdown) {
        this(inventory, catalog, artifacts, meltdown, null);
    }

    public Planner(Inventory inventory, SnapshotCatalog catalog, MeltdownGuard meltdown) {
        this(inventory, catalog, null, meltdown);
    }

    public Planner(Inventory inventory) {
        this(inventory, null, MeltdownGuard.BOSH_DEFAULTS);
    }

    public Planning plan(IncidentOpened incident, String planId, Instant now) {
        Optional<ClusterSpec> found = inventory.cluster(incident.clusterId());
        if (found.isEmpty()) {
            return new Skip("cluster " + incident.clusterId() + " is not in the inventory", false);
        }
        ClusterSpec cluster = found.get();
        if (AlarmPlanning.handles(incident.failure())) {
            return new AlarmPlanning(this).plan(cluster, incident, planId, now);
        }
        if (cluster.kind() == ClusterKind.KUBESPRAY) {
            return new KubesprayPlanning(this).plan(cluster, incident, planId, now);
        }
        if (incident.failure() == FailureKind.QUORUM_LOST && restoredByBbr(cluster)) {
            return new Create(BbrRestoreType.propose(cluster, PlanNames.BBR_DEPLOYMENT_RESTORE,
                    BbrRestoreType.chooseArtifact(artifacts, cluster, PlanNames.BBR_DEPLOYMENT_RESTORE,
                            Optional.empty()), planId, incident.incidentId(), incident.detectedAt(), now,
                    "quorum lost on " + cluster.id()), List.of());
        }
        if (incident.failure() == FailureKind.QUORUM_LOST && surveyable(cluster)) {
            QuorumOptions.Ranking ranking = rankQuorumLoss(cluster, now);
            List<String> inQuorum = ranking.followingALeader();
            if (inQuorum.size() >= cluster.quorum()) {
                // the loss was brief (a member restarting, or a plan of cpr's own that stopped them): rebuilding a
                // working cluster from one of its members would only do harm
                return new Skip("quorum is back on " + cluster.id() + ": " + String.join(", ", inQuorum)
                        + " answer following a leader (quorum " + cluster.quorum() + ")", false);
            }
            return new Create(quorumLoss(cluster, ranking, planId, incident.incidentId(), incident.detectedAt(), now,
                    "quorum lost on " + cluster.id()), List.of());
        }
        if (incident.failure() == FailureKind.QUORUM_LOST) {
            return new Create(EtcdQuorumRestoreType.proposeNewestPoint(cluster, newestSnapshot(cluster), changeLog,
                    planId, incident.incidentId(), incident.detectedAt(), now, "quorum lost on " + cluster.id()),
                    List.of());
        }
        if (cluster.kind() == ClusterKind.BOSH) {
            return new BoshPlanning(this).plan(cluster, incident, planId, now);
        }
        if (incident.failedMembers().isEmpty()) {
            return new Skip("MEMBER_UNHEALTHY without failed members", false);
        }
        return oneMemberAtATime(cluster, incident, incident.failedMembers(), PlanNames.ETCD_MEMBER_REPLACE, planId,
                now);
    }

    /**
     * Replaces (or cloud-checks) the first failed member while quorum holds; the others wait. The meltdown guard
     * turns an automatic plan into a proposal when too many members are down at once.
     */
    Planning oneMemberAtATime(ClusterSpec cluster, IncidentOpened incident, List<String> failed,
            String planName, String planId, Instant now) {
        int size = cluster.members().size();
        int down = failed.size();
        String what = PlanNames.BOSH_CLOUD_CHECK.equals(planName) ? "no cloud check" : "no member plan";
        if (size - down < cluster.quorum()) {
            return new Skip(down + " of " + size + " members failed: quorum (" + cluster.quorum()
                    + ") does not hold, " + what, true);
        }
        String first = failed.get(0);
        if (cluster.member(first).isEmpty()) {
            return new Skip("failed member " + first + " is not in the inventory of " + cluster.id(), true);
        }
        Optional<MemberSurvey> intact = PlanNames.ETCD_MEMBER_REPLACE.equals(planName) && surveyable(cluster)
                ? Optional.of(surveyor.survey(cluster, first)).filter(MemberSurvey::dataIntact)
                : Optional.empty();
        if (intact.isPresent()) {
            planName = PlanNames.ETCD_MEMBER_REVIVE;
        }
        RecoveryMode mode = intact.isPresent() ? EtcdMemberReviveType.modeFor(cluster) : modeFor(cluster, planName);
        String verb = switch (planName) {
            case PlanNames.BOSH_CLOUD_CHECK -> "cloud-check";
            case PlanNames.ETCD_MEMBER_REVIVE -> "revive";
            default -> "replace";
        };
        String why = verb + " " + first + " (" + modeName(mode) + ")"
                + intact.map(survey -> ": its data is intact, it is started again and replaced only if it does not "
                        + "come back; survey: " + survey.describe()).orElse("");
        if (mode == RecoveryMode.AUTO && meltdown.isMeltdown(down, size)) {
            mode = RecoveryMode.NOTIFY_ONLY;
            why = "meltdown guard: " + down + " of " + size + " members down at once (>= " + meltdown.minInstances()
                    + " and >= " + meltdown.minPercent() + " %): no automatic plan; " + gerund(verb) + " " + first
                    + " is proposed for a person to decide";
        }
        if (mode == RecoveryMode.AUTO) {
            Optional<String> fleetHold = fleet.holds(cluster.id(), inventory.clusters().stream().map(ClusterSpec::id)
                    .collect(Collectors.toSet()), now);
            if (fleetHold.isPresent()) {
                mode = RecoveryMode.NOTIFY_ONLY;
                why = fleetHold.get() + ": no automatic plan; " + gerund(verb) + " " + first
                        + " is proposed for a person to decide";
            }
        }
        RecoveryPlan plan = switch (planName) {
            case PlanNames.BOSH_CLOUD_CHECK -> BoshCloudCheckType.propose(cluster, first, mode, planId,
                    incident.incidentId(), incident.detectedAt(), now, incident.failure().label() + ": " + why);
            case PlanNames.ETCD_MEMBER_REVIVE -> EtcdMemberReviveType.propose(cluster, first, mode, planId,
                    incident.incidentId(), incident.detectedAt(), now, why);
            default -> EtcdMemberReplaceType.propose(cluster, first, mode, planId, incident.incidentId(),
                    incident.detectedAt(), now, why);
        };
        return new Create(plan, List.copyOf(failed.subList(1, failed.size())));
    }

    private static String gerund(String verb) {
        return verb.endsWith("e") ? verb.substring(0, verb.length() - 1) + "ing" : verb + "ing";
    }

    /** One member's survey (blocking: node access); only on a {@link #surveyable} cluster. */
    public MemberSurvey surveyMember(ClusterSpec cluster, String member) {
        return surveyor.survey(cluster, member);
    }

    /** A BOSH cluster whose every member is a BOSH instance: its etcd is restored by {@code bbr}, not member by member. */
    private static boolean restoredByBbr(ClusterSpec cluster) {
        return cluster.kind() == ClusterKind.BOSH && cluster.bosh() != null
                && cluster.members().stream().allMatch(Planner::hasBoshInstance);
    }

    /** The member whose {@code access.instance} is this BOSH instance ({@code master/<uuid>}). */
    public static Optional<MemberSpec> memberOfInstance(ClusterSpec cluster, String instance) {
        return cluster.members().stream()
                .filter(Planner::hasBoshInstance)
                .filter(m -> m.access().instance().equals(instance))
                .findFirst();
    }

    public static boolean hasBoshInstance(MemberSpec member) {
        return member.access() != null && member.access().type() == NodeAccess.Type.BOSH
                && member.access().instance() != null;
    }

    public static RecoveryMode modeFor(ClusterSpec cluster, String planName) {
        return PlanTypes.modeFor(cluster, planName);
    }

    private SnapshotChoice newestSnapshot(ClusterSpec cluster) {
        return EtcdQuorumRestoreType.chooseSnapshot(catalog, cluster, Optional.empty());
    }

    /** backup-service's change log a point-in-time restore reaches its target with; null when none is configured. */
    public ChangeLogSource changeLog() {
        return changeLog;
    }

    /** backup-service's snapshot catalog the restore plans choose from; null when none is configured. */
    public SnapshotCatalog snapshotCatalog() {
        return catalog;
    }

    /** backup-service's bbr artifact catalog the BBR restores choose from; null when none is configured. */
    public BbrArtifactCatalog artifactCatalog() {
        return artifacts;
    }

    /** A plain etcd cluster whose members' nodes restore-service reaches itself: their data can be looked at. */
    public boolean surveyable(ClusterSpec cluster) {
        return surveyor != null && cluster.kind() == ClusterKind.ETCD && cluster.members().stream()
                .allMatch(m -> m.access() != null && m.access().type() != NodeAccess.Type.BOSH);
    }

    /** Surveys the members of a cluster that lost quorum and ranks the ways out (blocking: node access). */
    public QuorumOptions.Ranking rankQuorumLoss(ClusterSpec cluster, Instant now) {
        List<MemberSurvey> survey = surveyor.survey(cluster);
        SnapshotChoice choice = newestSnapshot(cluster);
        Optional<SnapshotRef> snapshot = choice instanceof SnapshotChoice.Chosen chosen ? Optional.of(chosen.snapshot())
                : Optional.empty();
        return QuorumOptions.rank(cluster.quorum(), survey, snapshot, choice.reason(), now);
    }

    /**
     * Quorum lost on a surveyable cluster: the least destructive option of the ranking, as its policy says, carrying
     * every option with what it would lose.
     */
    private RecoveryPlan quorumLoss(ClusterSpec cluster, QuorumOptions.Ranking ranking, String planId,
            String incidentId, Instant detectedAt, Instant now, String cause) {
        String options = ranking.describe();
        RecoveryPlan plan;
        if (ranking.choice() instanceof QuorumOptions.Revive revive) {
            plan = EtcdQuorumReviveType.propose(cluster, revive.start(), revive.replace(), planId, incidentId, detectedAt, now,
                    cause + ": " + options);
        } else if (ranking.choice() instanceof QuorumOptions.Rebuild rebuild) {
            plan = EtcdSurvivorRebuildType.propose(cluster, rebuild.survivor(), planId, incidentId, detectedAt, now,
                    cause + ": " + options);
        } else {
            plan = EtcdQuorumRestoreType.proposeNewestPoint(cluster, newestSnapshot(cluster), changeLog, planId,
                    incidentId, detectedAt, now, cause + ": " + options);
        }
        return plan.withOptions(ranking.options());
    }

    /** The first state of a plan proposed in this mode. */
    public static PlanState initialState(RecoveryMode mode) {
        return switch (mode) {
            case AUTO -> PlanState.RUNNING;
            case APPROVAL -> PlanState.AWAITING_APPROVAL;
            case NOTIFY_ONLY -> PlanState.PROPOSED;
        };
    }

    /** How a mode reads in a plan's message: {@code auto}, {@code approval}, {@code notify-only}. */
    public static String modeName(RecoveryMode mode) {
        return mode.name().toLowerCase().replace('_', '-');
    }
}
