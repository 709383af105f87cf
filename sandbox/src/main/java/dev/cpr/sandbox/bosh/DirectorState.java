package dev.cpr.sandbox.bosh;

import java.util.List;

/**
 * The simulated director's own state, what {@code bbr director backup} saves and {@code restore} puts back: the
 * deployment's instance records and the task counter.
 *
 * @param deploymentPresent false after {@link BoshDirectorSimulator#loseState()} (a rebuilt, empty director)
 */
public record DirectorState(String deployment, boolean deploymentPresent, long nextTaskId,
        List<InstanceRecord> instances) {
}
