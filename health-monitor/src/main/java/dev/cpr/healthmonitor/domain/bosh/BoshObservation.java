package dev.cpr.healthmonitor.domain.bosh;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Everything one poll of a cluster's BOSH director saw.
 *
 * @param directorProblem why {@code /info} did not answer (refused, timeout, error), or null when it did
 * @param directorName    the director's name from {@code /info}, or null
 * @param instances       every instance of the deployment; empty when they could not be read
 * @param instancesProblem why the deployment's instances could not be read (null when they were)
 */
public record BoshObservation(
        String clusterId,
        String directorUrl,
        String deployment,
        Instant polledAt,
        String directorProblem,
        String directorName,
        List<BoshInstanceView> instances,
        String instancesProblem) {

    public BoshObservation {
        instances = instances == null ? List.of() : List.copyOf(instances);
    }

    public static BoshObservation unreachable(String clusterId, String directorUrl, String deployment, Instant at,
            String problem) {
        return new BoshObservation(clusterId, directorUrl, deployment, at, problem, null, List.of(),
                "director unreachable");
    }

    public static BoshObservation seen(String clusterId, String directorUrl, String deployment, Instant at,
            String directorName, List<BoshInstanceView> instances) {
        return new BoshObservation(clusterId, directorUrl, deployment, at, null, directorName, instances, null);
    }

    public static BoshObservation instancesUnknown(String clusterId, String directorUrl, String deployment, Instant at,
            String directorName, String problem) {
        return new BoshObservation(clusterId, directorUrl, deployment, at, null, directorName, List.of(), problem);
    }

    public boolean directorReachable() {
        return directorProblem == null;
    }

    /** The instances were read on this poll (so their absence of failures means something). */
    public boolean instancesKnown() {
        return directorReachable() && instancesProblem == null;
    }

    public Optional<String> problem() {
        return Optional.ofNullable(directorProblem != null ? directorProblem : instancesProblem);
    }
}
