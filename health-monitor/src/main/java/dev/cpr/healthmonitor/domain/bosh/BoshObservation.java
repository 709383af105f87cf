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
 * @param deploymentUnknown the director answered that it does not know the deployment (error 70000)
 */
public record BoshObservation(
        String clusterId,
        String directorUrl,
        String deployment,
        Instant polledAt,
        String directorProblem,
        String directorName,
        List<BoshInstanceView> instances,
        String instancesProblem,
        boolean deploymentUnknown) {

    public BoshObservation {
        instances = instances == null ? List.of() : List.copyOf(instances);
    }

    public static BoshObservation unreachable(String clusterId, String directorUrl, String deployment, Instant at,
            String problem) {
        return new BoshObservation(clusterId, directorUrl, deployment, at, problem, null, List.of(),
                "director unreachable", false);
    }

    public static BoshObservation seen(String clusterId, String directorUrl, String deployment, Instant at,
            String directorName, List<BoshInstanceView> instances) {
        return new BoshObservation(clusterId, directorUrl, deployment, at, null, directorName, instances, null, false);
    }

    public static BoshObservation instancesUnknown(String clusterId, String directorUrl, String deployment, Instant at,
            String directorName, String problem) {
        return new BoshObservation(clusterId, directorUrl, deployment, at, null, directorName, List.of(), problem,
                false);
    }

    /** The director answered {@code /info} but does not know the deployment. */
    public static BoshObservation deploymentUnknown(String clusterId, String directorUrl, String deployment, Instant at,
            String directorName, String problem) {
        return new BoshObservation(clusterId, directorUrl, deployment, at, null, directorName, List.of(), problem,
                true);
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
