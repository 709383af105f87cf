package dev.cpr.restore.domain.planner;

import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.recovery.PlanNames;
import dev.cpr.restore.domain.plans.ArtifactChoice;
import dev.cpr.restore.domain.plans.BbrRestoreType;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** What the planner does about an incident on a {@code kind: bosh} cluster (quorum loss aside: see {@link Planner}). */
final class BoshPlanning {

    private final Planner planner;

    BoshPlanning(Planner planner) {
        this.planner = planner;
    }

    /**
     * A {@code kind: bosh} cluster (seed 001). A meltdown is never acted on (the resurrector's lesson: alert, people
     * decide). A missing VM, an unresponsive agent or a failing job names instances ({@code master/<uuid>}), which
     * are mapped to members by their {@code access.instance}; an unhealthy etcd member names members. Either way the
     * first failed member gets {@code bosh-cloud-check} under the same quorum rule and meltdown guard as a member
     * replace. A member without a BOSH instance in the inventory is replaced through its own access instead.
     * Director loss proposes {@code bbr-director-restore} (seed 003); a quorum loss, {@code bbr-deployment-restore}
     * (seed 000, see {@link Planner#plan}).
     */
    Planner.Planning plan(ClusterSpec cluster, IncidentOpened incident, String planId, Instant now) {
        FailureKind failure = incident.failure();
        List<String> failed = incident.failedMembers();
        switch (failure) {
            case BOSH_MELTDOWN:
                return new Planner.Skip("BOSH meltdown on " + cluster.id() + (failed.isEmpty() ? "" : " (" + failed.size()
                        + " instances down: " + String.join(", ", failed) + ")") + ": alert, do not act; people "
                        + "decide (the resurrector's rule)", true);
            case BOSH_DIRECTOR_UNREACHABLE:
            case BOSH_DEPLOYMENT_UNKNOWN:
                return director(cluster, incident, planId, now);
            case BOSH_VM_MISSING:
            case BOSH_AGENT_UNRESPONSIVE:
            case BOSH_JOB_FAILING:
                if (failed.isEmpty()) {
                    return new Planner.Skip(failure.label() + " on " + cluster.id() + " without instances", false);
                }
                List<String> unknown = failed.stream().filter(i -> Planner.memberOfInstance(cluster, i).isEmpty()).toList();
                if (!unknown.isEmpty()) {
                    return new Planner.Skip(failure.label() + " on " + cluster.id() + ": instance(s) " + String.join(", ", unknown)
                            + " match no member's access.instance in the inventory; a person must look", true);
                }
                List<String> members = failed.stream()
                        .map(i -> Planner.memberOfInstance(cluster, i).orElseThrow().name()).distinct().toList();
                return planner.oneMemberAtATime(cluster, incident, members, PlanNames.BOSH_CLOUD_CHECK, planId, now);
            case MEMBER_UNHEALTHY:
                if (failed.isEmpty()) {
                    return new Planner.Skip("MEMBER_UNHEALTHY without failed members", false);
                }
                boolean onBosh = cluster.member(failed.get(0)).map(Planner::hasBoshInstance).orElse(true);
                return planner.oneMemberAtATime(cluster, incident, failed,
                        onBosh ? PlanNames.BOSH_CLOUD_CHECK : PlanNames.ETCD_MEMBER_REPLACE, planId, now);
            default:
                return new Planner.Skip(failure.label() + " has no BOSH plan", false);
        }
    }

    /**
     * Seed 003: the director is gone. Restoring it from its newest verified {@code bbr director} artifact is proposed
     * as the policy says (default: approval, so a person first confirms the director is really lost and a new, empty
     * one is up for bbr to restore into). Without a verified artifact there is nothing to propose.
     */
    private Planner.Planning director(ClusterSpec cluster, IncidentOpened incident, String planId, Instant now) {
        ArtifactChoice choice = BbrRestoreType.chooseArtifact(planner.artifactCatalog(), cluster,
                PlanNames.BBR_DIRECTOR_RESTORE, Optional.empty());
        if (choice instanceof ArtifactChoice.NoArtifact none) {
            return new Planner.Skip("BOSH director of " + cluster.id() + " " + directorTrouble(incident) + " and " + none.reason()
                    + ": a person must rebuild and restore the director by hand (seed 003)", true);
        }
        return new Planner.Create(BbrRestoreType.propose(cluster, PlanNames.BBR_DIRECTOR_RESTORE, choice, planId, incident.incidentId(),
                incident.detectedAt(), now, "BOSH director of " + cluster.id() + " " + directorTrouble(incident)),
                List.of());
    }

    private static String directorTrouble(IncidentOpened incident) {
        return incident.failure() == FailureKind.BOSH_DEPLOYMENT_UNKNOWN
                ? "does not know its deployment (a rebuilt director without its state?)" : "unreachable";
    }
}
