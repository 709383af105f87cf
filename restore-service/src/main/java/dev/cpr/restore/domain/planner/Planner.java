package dev.cpr.restore.domain.planner;

import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.contracts.incident.MemberHealth;
import dev.cpr.contracts.inventory.ClusterKind;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.restore.domain.kubespray.KubesprayRecoverControlPlanePlan;
import dev.cpr.contracts.inventory.Inventory;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.contracts.inventory.NodeAccess;
import dev.cpr.contracts.inventory.RecoveryMode;
import dev.cpr.contracts.recovery.PlanNames;
import dev.cpr.contracts.recovery.PlanState;
import dev.cpr.restore.domain.bosh.BoshCloudCheckPlan;
import dev.cpr.restore.domain.bbr.BbrArtifactCatalog;
import dev.cpr.restore.domain.bbr.BbrArtifactRef;
import dev.cpr.restore.domain.bbr.BbrRestorePlan;
import dev.cpr.restore.domain.etcd.EtcdMemberReplacePlan;
import dev.cpr.restore.domain.etcd.EtcdQuorumRestorePlan;
import dev.cpr.restore.domain.etcd.EtcdQuorumRevivePlan;
import dev.cpr.restore.domain.etcd.EtcdSurvivorRebuildPlan;
import dev.cpr.restore.domain.etcd.MemberSurvey;
import dev.cpr.restore.domain.etcd.MemberSurveyor;
import dev.cpr.restore.domain.plan.RecoveryPlan;
import dev.cpr.restore.domain.plans.PlanTypes;
import dev.cpr.restore.domain.snapshot.SnapshotCatalog;
import dev.cpr.restore.domain.snapshot.SnapshotRef;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Chooses what to do about an opened incident; the caller persists the result. Its only I/O is asking
 * backup-service's catalog (ports) for the snapshot or bbr artifact a restore would use.
 * <ul>
 *   <li>MEMBER_UNHEALTHY with quorum holding: {@code etcd-member-replace} for the first failed member
 *       (one member at a time; the others wait for a later incident). The meltdown guard: when the policy
 *       would run it by itself (auto) but at least {@code min-down} members AND at least {@code min-percent}
 *       % of the cluster are down at once, nothing runs by itself: the plan is proposed notify-only with
 *       the reason (BOSH resurrector's rule, defaults 5 and 20 %);</li>
 *   <li>QUORUM_LOST on a plain etcd cluster (every member {@code local} or {@code ssh}): the members are surveyed
 *       and the least destructive way out is proposed ({@link QuorumOptions}): {@code etcd-quorum-revive},
 *       {@code etcd-survivor-rebuild}, or, only when no member's data survives, {@code etcd-quorum-restore}; the
 *       plan carries every option with what it would lose;</li>
 *   <li>QUORUM_LOST otherwise (no survey): {@code etcd-quorum-restore} from the newest VERIFIED snapshot of the catalog; without
 *       one (none verified, or backup-service unreachable) the plan is stored FAILED at once with the reason
 *       (never a made-up snapshot);</li>
 *   <li>{@code kind: bosh} clusters: see {@link #bosh}: {@code bosh-cloud-check} for the first failed master,
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

    /** Which snapshot a restore would use, or why there is none. */
    public sealed interface SnapshotChoice permits Chosen, NoSnapshot, CatalogDown {
    }

    public record Chosen(SnapshotRef snapshot) implements SnapshotChoice {
    }

    public record NoSnapshot(String reason) implements SnapshotChoice {
    }

    public record CatalogDown(String reason) implements SnapshotChoice {
    }

    /**
     * The BOSH resurrector's meltdown rule: at least {@code minDown} members and at least {@code minPercent}
     * % of the cluster down at once.
     */
    public record MeltdownGuard(int minDown, int minPercent) {
        public static final MeltdownGuard BOSH_DEFAULTS = new MeltdownGuard(5, 20);

        public boolean tripped(int down, int size) {
            return down >= minDown && (long) down * 100 >= (long) minPercent * size;
        }
    }

    /** Which bbr artifact a BBR restore would use, or why there is none. */
    public sealed interface ArtifactChoice permits ArtifactChosen, NoArtifact {
    }

    public record ArtifactChosen(BbrArtifactRef artifact) implements ArtifactChoice {
    }

    /** @param catalogDown backup-service could not be asked (rather than: it has no such artifact) */
    public record NoArtifact(String reason, boolean catalogDown) implements ArtifactChoice {
    }

    private final Inventory inventory;
    private final SnapshotCatalog catalog;
    private final BbrArtifactCatalog artifacts;
    private final MeltdownGuard meltdown;
    private final MemberSurveyor surveyor;

    /** @param surveyor looks at the members after a quorum loss; null: always propose the snapshot restore */
    public Planner(Inventory inventory, SnapshotCatalog catalog, BbrArtifactCatalog artifacts, MeltdownGuard meltdown,
            MemberSurveyor surveyor) {
        this.inventory = inventory;
        this.catalog = catalog;
        this.artifacts = artifacts;
        this.meltdown = meltdown;
        this.surveyor = surveyor;
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
            return kubespray(cluster, incident, planId, now);
        }
        if (incident.failure() == FailureKind.QUORUM_LOST && restoredByBbr(cluster)) {
            return new Create(bbrRestore(cluster, PlanNames.BBR_DEPLOYMENT_RESTORE, chooseArtifact(cluster,
                    PlanNames.BBR_DEPLOYMENT_RESTORE, Optional.empty()), planId, incident.incidentId(),
                    incident.detectedAt(), now, "quorum lost on " + cluster.id()), List.of());
        }
        if (incident.failure() == FailureKind.QUORUM_LOST && surveyable(cluster)) {
            return new Create(quorumLoss(cluster, planId, incident.incidentId(), incident.detectedAt(), now,
                    "quorum lost on " + cluster.id()), List.of());
        }
        if (incident.failure() == FailureKind.QUORUM_LOST) {
            SnapshotChoice choice = chooseSnapshot(cluster, Optional.empty());
            return new Create(quorumRestore(cluster, choice, planId, incident.incidentId(), incident.detectedAt(), now,
                    "quorum lost on " + cluster.id()), List.of());
        }
        if (cluster.kind() == ClusterKind.BOSH) {
            return bosh(cluster, incident, planId, now);
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
    private Planning oneMemberAtATime(ClusterSpec cluster, IncidentOpened incident, List<String> failed,
            String planName, String planId, Instant now) {
        int size = cluster.members().size();
        int down = failed.size();
        String what = PlanNames.BOSH_CLOUD_CHECK.equals(planName) ? "no cloud check" : "no member replace";
        if (size - down < cluster.quorum()) {
            return new Skip(down + " of " + size + " members failed: quorum (" + cluster.quorum()
                    + ") does not hold, " + what, true);
        }
        String first = failed.get(0);
        if (cluster.member(first).isEmpty()) {
            return new Skip("failed member " + first + " is not in the inventory of " + cluster.id(), true);
        }
        RecoveryMode mode = modeFor(cluster, planName);
        boolean cloudCheck = PlanNames.BOSH_CLOUD_CHECK.equals(planName);
        String why = (cloudCheck ? "cloud-check " : "replace ") + first + " (" + modeName(mode) + ")";
        if (mode == RecoveryMode.AUTO && meltdown.tripped(down, size)) {
            mode = RecoveryMode.NOTIFY_ONLY;
            why = "meltdown guard: " + down + " of " + size + " members down at once (>= " + meltdown.minDown()
                    + " and >= " + meltdown.minPercent() + " %): no automatic plan; " + (cloudCheck ? "cloud-checking " : "replacing ") + first
                    + " is proposed for a person to decide";
        }
        RecoveryPlan plan = cloudCheck
                ? cloudCheck(cluster, first, mode, planId, incident.incidentId(), incident.detectedAt(), now,
                        incident.failure().label() + ": " + why)
                : memberReplace(cluster, first, mode, planId, incident.incidentId(), incident.detectedAt(), now, why);
        return new Create(plan, List.copyOf(failed.subList(1, failed.size())));
    }

    /**
     * A {@code kind: bosh} cluster (seed 001). A meltdown is never acted on (the resurrector's lesson: alert, people
     * decide). A missing VM, an unresponsive agent or a failing job names instances ({@code master/<uuid>}), which
     * are mapped to members by their {@code access.instance}; an unhealthy etcd member names members. Either way the
     * first failed member gets {@code bosh-cloud-check} under the same quorum rule and meltdown guard as a member
     * replace. A member without a BOSH instance in the inventory is replaced through its own access instead.
     * Director loss proposes {@code bbr-director-restore} (seed 003); a quorum loss, {@code bbr-deployment-restore}
     * (seed 000, see {@link #plan}).
     */
    private Planning bosh(ClusterSpec cluster, IncidentOpened incident, String planId, Instant now) {
        FailureKind failure = incident.failure();
        List<String> failed = incident.failedMembers();
        switch (failure) {
            case BOSH_MELTDOWN:
                return new Skip("BOSH meltdown on " + cluster.id() + (failed.isEmpty() ? "" : " (" + failed.size()
                        + " instances down: " + String.join(", ", failed) + ")") + ": alert, do not act; people "
                        + "decide (the resurrector's rule)", true);
            case BOSH_DIRECTOR_UNREACHABLE:
            case BOSH_DEPLOYMENT_UNKNOWN:
                return director(cluster, incident, planId, now);
            case BOSH_VM_MISSING:
            case BOSH_AGENT_UNRESPONSIVE:
            case BOSH_JOB_FAILING:
                if (failed.isEmpty()) {
                    return new Skip(failure.label() + " on " + cluster.id() + " without instances", false);
                }
                List<String> unknown = failed.stream().filter(i -> memberOfInstance(cluster, i).isEmpty()).toList();
                if (!unknown.isEmpty()) {
                    return new Skip(failure.label() + " on " + cluster.id() + ": instance(s) " + String.join(", ", unknown)
                            + " match no member's access.instance in the inventory; a person must look", true);
                }
                List<String> members = failed.stream()
                        .map(i -> memberOfInstance(cluster, i).orElseThrow().name()).distinct().toList();
                return oneMemberAtATime(cluster, incident, members, PlanNames.BOSH_CLOUD_CHECK, planId, now);
            case MEMBER_UNHEALTHY:
                if (failed.isEmpty()) {
                    return new Skip("MEMBER_UNHEALTHY without failed members", false);
                }
                boolean onBosh = cluster.member(failed.get(0)).map(Planner::hasBoshInstance).orElse(true);
                return oneMemberAtATime(cluster, incident, failed,
                        onBosh ? PlanNames.BOSH_CLOUD_CHECK : PlanNames.ETCD_MEMBER_REPLACE, planId, now);
            default:
                return new Skip(failure.label() + " has no BOSH plan", false);
        }
    }

    /**
     * Seed 003: the director is gone. Restoring it from its newest verified {@code bbr director} artifact is proposed
     * as the policy says (default: approval, so a person first confirms the director is really lost and a new, empty
     * one is up for bbr to restore into). Without a verified artifact there is nothing to propose.
     */
    private Planning director(ClusterSpec cluster, IncidentOpened incident, String planId, Instant now) {
        ArtifactChoice choice = chooseArtifact(cluster, PlanNames.BBR_DIRECTOR_RESTORE, Optional.empty());
        if (choice instanceof NoArtifact none) {
            return new Skip("BOSH director of " + cluster.id() + " " + directorTrouble(incident) + " and " + none.reason()
                    + ": a person must rebuild and restore the director by hand (seed 003)", true);
        }
        return new Create(bbrRestore(cluster, PlanNames.BBR_DIRECTOR_RESTORE, choice, planId, incident.incidentId(),
                incident.detectedAt(), now, "BOSH director of " + cluster.id() + " " + directorTrouble(incident)),
                List.of());
    }

    private static String directorTrouble(IncidentOpened incident) {
        return incident.failure() == FailureKind.BOSH_DEPLOYMENT_UNKNOWN
                ? "does not know its deployment (a rebuilt director without its state?)" : "unreachable";
    }

    /** A BOSH cluster whose every member is a BOSH instance: its etcd is restored by {@code bbr}, not member by member. */
    private static boolean restoredByBbr(ClusterSpec cluster) {
        return cluster.kind() == ClusterKind.BOSH && cluster.bosh() != null
                && cluster.members().stream().allMatch(Planner::hasBoshInstance);
    }

    /**
     * A BBR restore from the chosen artifact (its backup id is the plan's target), in the state its policy says;
     * FAILED at once, with the reason, when there is no verified artifact to restore from.
     */
    public RecoveryPlan bbrRestore(ClusterSpec cluster, String planName, ArtifactChoice choice, String planId,
            String incidentId, Instant detectedAt, Instant now, String cause) {
        RecoveryMode mode = modeFor(cluster, planName);
        if (choice instanceof ArtifactChosen chosen) {
            BbrArtifactRef artifact = chosen.artifact();
            return new RecoveryPlan(planId, incidentId, cluster.id(), planName, artifact.id(), initialState(mode), mode,
                    now, now, detectedAt, null, cause + ": bbr restore from " + artifact.describe() + " ("
                    + modeName(mode) + ")", 1, BbrRestorePlan.outline(planName, artifact))
                    .withSnapshot(asRestoredData(artifact));
        }
        return new RecoveryPlan(planId, incidentId, cluster.id(), planName, null, PlanState.FAILED, mode, now, now,
                detectedAt, null, cause + ": cannot propose a restore: " + ((NoArtifact) choice).reason()
                + "; a person must restore " + cluster.id() + " by hand (seed 000/003)", 1,
                BbrRestorePlan.outline(planName, null));
    }

    /**
     * The artifact as the data a restore brings back: its id and when it was taken, so the plan's RPO is measured like
     * an etcd restore's (revision and key count are not known for a bbr artifact: 0).
     */
    static SnapshotRef asRestoredData(BbrArtifactRef artifact) {
        return new SnapshotRef(artifact.id(), artifact.clusterId(), 0, 0, artifact.createdAt(), null, "bbr", null);
    }

    /** The bbr artifact a restore would use: the one asked for, or the newest verified one of the plan's kind. */
    public ArtifactChoice chooseArtifact(ClusterSpec cluster, String planName, Optional<String> backupId) {
        String kind = BbrRestorePlan.kindOf(planName);
        if (artifacts == null) {
            return new NoArtifact("no backup-service catalog is configured (cpr.restore.backup-service-url)", true);
        }
        try {
            if (backupId.isPresent()) {
                Optional<BbrArtifactRef> ref = artifacts.verified(backupId.get());
                if (ref.isEmpty() || !kind.equals(ref.get().kind())) {
                    return new NoArtifact("backup " + backupId.get() + " is not a verified " + kind
                            + " artifact in backup-service's catalog", false);
                }
                if (!cluster.id().equals(ref.get().clusterId())) {
                    return new NoArtifact("backup " + backupId.get() + " belongs to cluster " + ref.get().clusterId()
                            + ", not " + cluster.id(), false);
                }
                return new ArtifactChosen(ref.get());
            }
            return artifacts.newestVerified(cluster.id(), kind).<ArtifactChoice>map(ArtifactChosen::new)
                    .orElseGet(() -> new NoArtifact("backup-service has no verified " + kind + " artifact of "
                            + cluster.id(), false));
        } catch (SnapshotCatalog.CatalogUnavailableException e) {
            return new NoArtifact("backup-service is unreachable: " + e.getMessage(), true);
        }
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

    /** A cloud check of one master proposed as the policy says (incidents and manual triggers). */
    public RecoveryPlan cloudCheck(ClusterSpec cluster, String member, RecoveryMode mode, String planId,
            String incidentId, Instant detectedAt, Instant now, String why) {
        String instance = cluster.member(member).filter(Planner::hasBoshInstance)
                .map(m -> m.access().instance())
                .orElseThrow(() -> new IllegalArgumentException("member " + member + " of " + cluster.id()
                        + " has no BOSH instance (access {type: bosh, instance})"));
        return new RecoveryPlan(planId, incidentId, cluster.id(), PlanNames.BOSH_CLOUD_CHECK, member,
                initialState(mode), mode, now, now, detectedAt, null, why, 1,
                BoshCloudCheckPlan.outline(member, instance));
    }

    /**
     * Seed 004: a kubespray cluster is recovered by kubespray's own recover-control-plane playbook, which
     * needs at least one healthy etcd node to run from; with none left a person restores it by hand.
     */
    private Planning kubespray(ClusterSpec cluster, IncidentOpened incident, String planId, Instant now) {
        if (incident.failure() != FailureKind.MEMBER_UNHEALTHY && incident.failure() != FailureKind.QUORUM_LOST) {
            return new Skip(incident.failure().label() + " has no kubespray plan", false);
        }
        List<String> broken = incident.failedMembers();
        if (broken.isEmpty()) {
            return new Skip(incident.failure().label() + " on " + cluster.id() + " without failed members", false);
        }
        if (incident.failure() == FailureKind.QUORUM_LOST) {
            return kubesprayQuorumLost(cluster, stillAnsweringLeftOut(incident), planId, incident, now);
        }
        return kubesprayRecover(cluster, broken, planId, incident.incidentId(), incident.detectedAt(), now,
                incident.failure().label() + " on " + cluster.id());
    }

    /**
     * Without quorum every member counts as failed, the one still running too: it answers, only with {@code health}
     * false for want of a leader. That one has its data and is the node recover-control-plane runs from, so it is not
     * broken. Health-monitor's reason for a member that answered starts with {@code health=}; one that did not answer
     * says why (connection refused, no answer).
     */
    private static List<String> stillAnsweringLeftOut(IncidentOpened incident) {
        List<String> answering = incident.members() == null ? List.of() : incident.members().stream()
                .filter(m -> !m.healthy() && m.reason() != null && m.reason().startsWith("health="))
                .map(MemberHealth::name).toList();
        List<String> down = incident.failedMembers().stream().filter(m -> !answering.contains(m)).toList();
        return down.isEmpty() ? incident.failedMembers() : down;
    }

    /**
     * Quorum lost on a kubespray cluster: the playbook restores its first healthy node from the newest verified
     * snapshot ({@code -e etcd_snapshot}), fetched and checked first as for a quorum restore; without one it takes a
     * snapshot of that node itself, as kubespray does. It waits for a person unless the policy lets both this plan
     * and a quorum restore run by themselves: losing quorum never gets less oversight than a quorum restore.
     */
    private Planning kubesprayQuorumLost(ClusterSpec cluster, List<String> broken, String planId,
            IncidentOpened incident, Instant now) {
        Planning planning = kubesprayRecover(cluster, broken, planId, incident.incidentId(), incident.detectedAt(), now,
                incident.failure().label() + " on " + cluster.id());
        if (!(planning instanceof Create create)) {
            return planning;
        }
        RecoveryPlan plan = create.plan();
        RecoveryMode mode = modeFor(cluster, PlanNames.ETCD_QUORUM_RESTORE).compareTo(plan.mode()) > 0
                ? modeFor(cluster, PlanNames.ETCD_QUORUM_RESTORE) : plan.mode();
        SnapshotChoice choice = chooseSnapshot(cluster, Optional.empty());
        SnapshotRef snapshot = choice instanceof Chosen chosen ? chosen.snapshot() : null;
        String from = snapshot != null ? "; restores from " + snapshot.describe()
                : "; no verified snapshot (" + (choice instanceof NoSnapshot none ? none.reason()
                        : ((CatalogDown) choice).reason()) + "): the playbook snapshots the first node itself";
        RecoveryPlan quorum = new RecoveryPlan(planId, plan.incidentId(), cluster.id(), plan.plan(), plan.targetMember(),
                initialState(mode), mode, now, now, plan.detectedAt(), null,
                plan.message().replaceFirst("\\([a-z-]+\\)$", "(" + modeName(mode) + ")") + from, 1,
                KubesprayRecoverControlPlanePlan.outline(broken, snapshot));
        return new Create(snapshot != null ? quorum.withSnapshot(snapshot) : quorum, List.of());
    }

    /** recover-control-plane with these nodes as broken (incidents and manual triggers); skipped if none is left. */
    public Planning kubesprayRecover(ClusterSpec cluster, List<String> broken, String planId, String incidentId,
            Instant detectedAt, Instant now, String cause) {
        if (broken.size() >= cluster.members().size()) {
            return new Skip("every etcd node of " + cluster.id() + " is broken: recover-control-plane needs a healthy "
                    + "one to run from; restore by hand from a snapshot (seed 004)", true);
        }
        RecoveryMode mode = modeFor(cluster, PlanNames.KUBESPRAY_RECOVER_CONTROL_PLANE);
        String why = cause + ": recover-control-plane with " + String.join(", ", broken) + " as broken ("
                + modeName(mode) + ")";
        RecoveryPlan plan = new RecoveryPlan(planId, incidentId, cluster.id(),
                PlanNames.KUBESPRAY_RECOVER_CONTROL_PLANE, KubesprayRecoverControlPlanePlan.target(broken),
                initialState(mode), mode, now, now, detectedAt, null, why, 1,
                KubesprayRecoverControlPlanePlan.outline(broken));
        return new Create(plan, List.of());
    }

    /** A space recovery proposed as the policy says (manual triggers). */
    public RecoveryPlan spaceRecover(ClusterSpec cluster, String planId, String incidentId, Instant now, String why) {
        return AlarmPlanning.spaceRecover(cluster, planId, incidentId, null, now, why);
    }

    /** A member replace proposed as the policy says (manual triggers and incidents). */
    public RecoveryPlan memberReplace(ClusterSpec cluster, String member, RecoveryMode mode, String planId,
            String incidentId, Instant detectedAt, Instant now, String why) {
        return new RecoveryPlan(planId, incidentId, cluster.id(), PlanNames.ETCD_MEMBER_REPLACE, member,
                initialState(mode), mode, now, now, detectedAt, null, why, 1, EtcdMemberReplacePlan.outline(member));
    }

    public static RecoveryMode modeFor(ClusterSpec cluster, String planName) {
        return PlanTypes.modeFor(cluster, planName);
    }

    /**
     * A quorum restore from the chosen snapshot, in the state its policy says; FAILED at once (with the reason
     * as its message) when there is no snapshot to restore from.
     */
    public RecoveryPlan quorumRestore(ClusterSpec cluster, SnapshotChoice choice, String planId, String incidentId,
            Instant detectedAt, Instant now, String cause) {
        RecoveryMode mode = modeFor(cluster, PlanNames.ETCD_QUORUM_RESTORE);
        if (choice instanceof Chosen chosen) {
            SnapshotRef ref = chosen.snapshot();
            return new RecoveryPlan(planId, incidentId, cluster.id(), PlanNames.ETCD_QUORUM_RESTORE, null,
                    initialState(mode), mode, now, now, detectedAt, null, cause + ": restore every member from "
                    + ref.describe() + " (" + modeName(mode) + ")", 1,
                    EtcdQuorumRestorePlan.outline(cluster, ref)).withSnapshot(ref);
        }
        String reason = choice instanceof NoSnapshot none ? none.reason() : ((CatalogDown) choice).reason();
        return new RecoveryPlan(planId, incidentId, cluster.id(), PlanNames.ETCD_QUORUM_RESTORE, null,
                PlanState.FAILED, mode, now, now, detectedAt, null, cause + ": cannot propose a restore: " + reason
                + "; a person must restore " + cluster.id() + " by hand (seed 000/002)", 1,
                EtcdQuorumRestorePlan.outline(cluster, null));
    }

    /** The snapshot a restore of this cluster would use: the one asked for, or the newest verified one. */
    public SnapshotChoice chooseSnapshot(ClusterSpec cluster, Optional<String> snapshotId) {
        if (catalog == null) {
            return new CatalogDown("no backup-service catalog is configured (cpr.restore.backup-service-url)");
        }
        try {
            if (snapshotId.isPresent()) {
                Optional<SnapshotRef> ref = catalog.verified(snapshotId.get());
                if (ref.isEmpty()) {
                    return new NoSnapshot("snapshot " + snapshotId.get() + " is not a verified snapshot in "
                            + "backup-service's catalog");
                }
                if (!cluster.id().equals(ref.get().clusterId())) {
                    return new NoSnapshot("snapshot " + snapshotId.get() + " belongs to cluster "
                            + ref.get().clusterId() + ", not " + cluster.id());
                }
                return new Chosen(ref.get());
            }
            return catalog.newestVerified(cluster.id()).<SnapshotChoice>map(Chosen::new)
                    .orElseGet(() -> new NoSnapshot("backup-service has no verified snapshot of " + cluster.id()));
        } catch (SnapshotCatalog.CatalogUnavailableException e) {
            return new CatalogDown("backup-service is unreachable: " + e.getMessage());
        }
    }

    /** A plain etcd cluster whose members' nodes restore-service reaches itself: their data can be looked at. */
    public boolean surveyable(ClusterSpec cluster) {
        return surveyor != null && cluster.kind() == ClusterKind.ETCD && cluster.members().stream()
                .allMatch(m -> m.access() != null && m.access().type() != NodeAccess.Type.BOSH);
    }

    /** Surveys the members of a cluster that lost quorum and ranks the ways out (blocking: node access). */
    public QuorumOptions.Ranking rankQuorumLoss(ClusterSpec cluster, Instant now) {
        List<MemberSurvey> survey = surveyor.survey(cluster);
        SnapshotChoice choice = chooseSnapshot(cluster, Optional.empty());
        Optional<SnapshotRef> snapshot = choice instanceof Chosen chosen ? Optional.of(chosen.snapshot())
                : Optional.empty();
        String noSnapshot = choice instanceof NoSnapshot none ? none.reason()
                : choice instanceof CatalogDown down ? down.reason() : null;
        return QuorumOptions.rank(cluster.quorum(), survey, snapshot, noSnapshot, now);
    }

    /**
     * Quorum lost on a surveyable cluster: the least destructive option of the ranking, as its policy says, carrying
     * every option with what it would lose.
     */
    public RecoveryPlan quorumLoss(ClusterSpec cluster, String planId, String incidentId, Instant detectedAt,
            Instant now, String cause) {
        QuorumOptions.Ranking ranking = rankQuorumLoss(cluster, now);
        String options = ranking.describe();
        RecoveryPlan plan;
        if (ranking.choice() instanceof QuorumOptions.Revive revive) {
            plan = revive(cluster, revive.start(), revive.replace(), planId, incidentId, detectedAt, now,
                    cause + ": " + options);
        } else if (ranking.choice() instanceof QuorumOptions.Rebuild rebuild) {
            plan = survivorRebuild(cluster, rebuild.survivor(), planId, incidentId, detectedAt, now,
                    cause + ": " + options);
        } else {
            plan = quorumRestore(cluster, chooseSnapshot(cluster, Optional.empty()), planId, incidentId, detectedAt,
                    now, cause + ": " + options);
        }
        return plan.withOptions(ranking.options());
    }

    /** Starts the down members with intact data again, then replaces the others (incidents and manual triggers). */
    public RecoveryPlan revive(ClusterSpec cluster, List<String> start, List<String> replace, String planId,
            String incidentId, Instant detectedAt, Instant now, String why) {
        RecoveryMode mode = modeFor(cluster, PlanNames.ETCD_QUORUM_REVIVE);
        return new RecoveryPlan(planId, incidentId, cluster.id(), PlanNames.ETCD_QUORUM_REVIVE,
                EtcdQuorumRevivePlan.target(start), initialState(mode), mode, now, now, detectedAt, null,
                "start " + String.join(", ", start) + " again (" + modeName(mode) + "); " + why, 1,
                EtcdQuorumRevivePlan.outline(cluster, start, replace));
    }

    /** Rebuilds the cluster from one surviving member (incidents and manual triggers). */
    public RecoveryPlan survivorRebuild(ClusterSpec cluster, String survivor, String planId, String incidentId,
            Instant detectedAt, Instant now, String why) {
        RecoveryMode mode = modeFor(cluster, PlanNames.ETCD_SURVIVOR_REBUILD);
        return new RecoveryPlan(planId, incidentId, cluster.id(), PlanNames.ETCD_SURVIVOR_REBUILD, survivor,
                initialState(mode), mode, now, now, detectedAt, null, "rebuild from " + survivor + " ("
                + modeName(mode) + "); " + why, 1, EtcdSurvivorRebuildPlan.outline(cluster, survivor));
    }

    private static PlanState initialState(RecoveryMode mode) {
        return switch (mode) {
            case AUTO -> PlanState.RUNNING;
            case APPROVAL -> PlanState.AWAITING_APPROVAL;
            case NOTIFY_ONLY -> PlanState.PROPOSED;
        };
    }

    private static String modeName(RecoveryMode mode) {
        return mode.name().toLowerCase().replace('_', '-');
    }
}
