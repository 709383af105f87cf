package dev.cpr.restore.domain.planner;

import dev.cpr.kernel.MeltdownGuard;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The meltdown guard across clusters. The per-cluster guard counts members of one cluster; a zone or network outage
 * takes one member from each of many clusters instead, and each cluster alone looks like an ordinary member loss.
 * Many automatic member replaces at the same moment is the wrong destructive step when the cause is shared (the
 * monitor's own network, an IaaS zone): when this cluster and the clusters already being recovered (an active plan
 * made within {@code window}) reach the rule, in number and in share of the fleet, nothing more runs by itself.
 *
 * <p>Read before the plan is stored, so two replicas deciding in the same instant may each count one cluster fewer
 * than there are: the guard can let through one automatic plan per replica beyond its threshold, never fewer.
 */
public record FleetGuard(MeltdownGuard rule, Duration window, FleetActivity activity) {

    /** No guard across clusters (tests, tools that plan one cluster). */
    public static final FleetGuard OFF = new FleetGuard(null, Duration.ZERO, since -> Set.of());

    public FleetGuard {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(activity, "activity");
        if (rule != null && (window.isNegative() || window.isZero())) {
            throw new IllegalArgumentException("the fleet meltdown window must be positive, was " + window);
        }
    }

    /**
     * Why an automatic plan for {@code clusterId} must wait for a person, if it must. Only clusters of {@code fleet}
     * count: a plan on a cluster this replica does not know (another inventory on the same database) says nothing
     * about a cause shared with this one.
     *
     * @param fleet the ids of the inventory's clusters
     */
    public Optional<String> holds(String clusterId, Set<String> fleet, Instant now) {
        if (rule == null) {
            return Optional.empty();
        }
        Set<String> failing = new HashSet<>(activity.clustersRecoveringSince(now.minus(window)));
        failing.retainAll(fleet);
        failing.add(clusterId);
        if (!rule.isMeltdown(failing.size(), fleet.size())) {
            return Optional.empty();
        }
        return Optional.of("fleet meltdown guard: " + failing.size() + " of " + fleet.size() + " clusters failing at "
                + "once (>= " + rule.minInstances() + " and >= " + rule.minPercent() + " % with a plan made in the last "
                + window + "), a shared cause is likely");
    }
}
