package dev.cpr.restore.domain.bosh;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the {@code bosh-cloud-check} plan needs of a BOSH director (the seeds' {@code bosh cck} and {@code bosh is}).
 * Every call is blocking; calls that start a director task wait for it. A director error or a task that ends in
 * {@code error} is thrown as {@link DirectorException} carrying the director's own text.
 */
public interface BoshDirector {

    /** Runs a cloud check scan of the deployment ({@code POST /deployments/<d>/scans}); returns the task's result. */
    String scan(String deployment);

    /** The problems the last scan found and nobody resolved yet. */
    List<Problem> problems(String deployment);

    /**
     * Applies these resolutions ({@code problem id -> resolution name}) and waits for the task.
     *
     * @return the task's result, e.g. {@code 1 resolved}
     */
    String resolve(String deployment, Map<Integer, String> resolutions);

    /** One instance ({@code group/uuid}) as {@code instances?format=full} shows it; empty if the deployment has none. */
    Optional<Instance> instance(String deployment, String instance);

    /** A problem of a cloud check scan. */
    record Problem(int id, String type, String description, List<String> resolutions) {

        public static final String MISSING_VM = "missing_vm";
        public static final String UNRESPONSIVE_AGENT = "unresponsive_agent";
        public static final String RECREATE_VM = "recreate_vm";

        public Problem {
            resolutions = resolutions == null ? List.of() : List.copyOf(resolutions);
            description = description == null ? "" : description;
        }

        /**
         * Whether it is about this instance ({@code master/<uuid>}): the director names the instance in the
         * description ({@code VM for 'master/<uuid> (0)' missing.}, {@code Disk 'd' (master/<uuid>, 10240M) is
         * missing}); the name must not go on with more of an id ({@code master/1} is not {@code master/10}).
         */
        public boolean concerns(String instance) {
            return Pattern.compile(Pattern.quote(instance) + "(?![\\w-])").matcher(description).find();
        }

        /** The problems a VM recreate fixes: the VM is gone, or its agent does not answer. */
        public boolean fixedByRecreate() {
            return MISSING_VM.equals(type) || UNRESPONSIVE_AGENT.equals(type);
        }

        public String describe() {
            return "problem " + id + " (" + type + "): " + description;
        }
    }

    /**
     * An instance and its VM.
     *
     * @param jobState     the agent's view ({@code running}, {@code failing}, ...) or {@code unresponsive agent};
     *                     null without a VM
     * @param desiredState {@code started}, {@code stopped} or {@code detached}
     */
    record Instance(String name, String vmCid, String jobState, String desiredState, List<Process> processes) {

        public static final String UNRESPONSIVE_AGENT = "unresponsive agent";

        public Instance {
            processes = processes == null ? List.of() : List.copyOf(processes);
        }

        public boolean hasVm() {
            return vmCid != null;
        }

        public boolean agentResponsive() {
            return hasVm() && !UNRESPONSIVE_AGENT.equals(jobState);
        }

        public String describe() {
            return name + (hasVm() ? " vm " + vmCid + ", job_state " + jobState : " without a VM")
                    + ", desired " + desiredState;
        }
    }

    /** A monit process on the VM, e.g. {@code etcd running}. */
    record Process(String name, String state) {
    }

    /** The director refused a call or a task failed; the message is the director's text. */
    class DirectorException extends RuntimeException {
        public DirectorException(String message, Throwable cause) {
            super(message, cause);
        }

        public DirectorException(String message) {
            super(message);
        }
    }
}
