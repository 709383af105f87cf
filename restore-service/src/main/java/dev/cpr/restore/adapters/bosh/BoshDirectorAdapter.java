package dev.cpr.restore.adapters.bosh;

import dev.cpr.bosh.BoshDirectorClient;
import dev.cpr.bosh.BoshException;
import dev.cpr.bosh.BoshInstance;
import dev.cpr.bosh.BoshProblem;
import dev.cpr.bosh.BoshTask;
import dev.cpr.bosh.InstanceAction;
import dev.cpr.restore.domain.bosh.BoshDirector;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@link BoshDirector} over bosh-client's {@link BoshDirectorClient}, plus the instance stop and start BOSH node
 * access needs. Every bosh-client failure (director error with code and description, failed task with its result,
 * timeout, unreachable) becomes a {@link BoshDirector.DirectorException} with bosh-client's message, which names
 * the call and carries the director's text. Blocking: call it off the event loop.
 */
public final class BoshDirectorAdapter implements BoshDirector {

    private final BoshDirectorClient client;

    public BoshDirectorAdapter(BoshDirectorClient client) {
        this.client = client;
    }

    public BoshDirectorClient client() {
        return client;
    }

    @Override
    public String scan(String deployment) {
        return describe(call(() -> client.scan(deployment)));
    }

    @Override
    public List<Problem> problems(String deployment) {
        return call(() -> client.problems(deployment)).stream().map(BoshDirectorAdapter::problem).toList();
    }

    @Override
    public String resolve(String deployment, Map<Integer, String> resolutions) {
        return describe(call(() -> client.resolveProblems(deployment, resolutions)));
    }

    @Override
    public Optional<Instance> instance(String deployment, String instance) {
        return call(() -> client.instances(deployment)).stream()
                .filter(i -> instance.equals(i.name()))
                .findFirst()
                .map(BoshDirectorAdapter::instance);
    }

    /** Stops the instance's jobs ({@code POST .../actions/stop}) and waits for the task. */
    public String stop(String deployment, String instance) {
        return act(deployment, instance, InstanceAction.STOP);
    }

    /** Starts the instance's jobs ({@code POST .../actions/start}) and waits for the task. */
    public String start(String deployment, String instance) {
        return act(deployment, instance, InstanceAction.START);
    }

    private String act(String deployment, String instance, InstanceAction action) {
        int slash = instance.indexOf('/');
        if (slash <= 0 || slash == instance.length() - 1) {
            throw new IllegalArgumentException("BOSH instance '" + instance + "' is not <group>/<id>");
        }
        String group = instance.substring(0, slash);
        String id = instance.substring(slash + 1);
        return describe(call(() -> client.instanceAction(deployment, group, id, action, false)));
    }

    private static String describe(BoshTask task) {
        return "task " + task.id() + " '" + task.description() + "' " + task.state()
                + (task.result() == null || task.result().isBlank() ? "" : ": " + task.result());
    }

    private static Problem problem(BoshProblem p) {
        return new Problem(p.id(), p.type(), p.description(),
                p.resolutions().stream().map(BoshProblem.Resolution::name).toList());
    }

    private static Instance instance(BoshInstance i) {
        return new Instance(i.name(), i.vmCid(), i.jobState(), i.state(),
                i.processes().stream().map(p -> new Process(p.name(), p.state())).toList());
    }

    private static <T> T call(Supplier<T> call) {
        try {
            return call.get();
        } catch (BoshException e) {
            throw new DirectorException(e.getMessage(), e);
        }
    }
}
