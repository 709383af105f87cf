package dev.cpr.sandbox.demo.scenario;

import dev.cpr.contracts.events.Topics;
import dev.cpr.sandbox.demo.launcher.World;
import dev.cpr.sandbox.etcd.EtcdCluster;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * The frame of the scenarios that break an etcd cluster and judge cpr's recovery from outside: watch the incident
 * and recovery topics, start only from a healthy cluster with no open incident (else the fault would be folded into
 * that incident), then {@link #play} the scenario with a {@link ClusterRun}. A {@link ClusterRun.Failure} ends it with
 * its message as the result's {@code error}; any other exception with its class and message.
 */
abstract class ClusterRecoveryScenario implements Scenario {

    @Override
    public final ScenarioResult run(World world, World.Progress progress) {
        ScenarioResult result = new ScenarioResult(name());
        EtcdCluster etcd = cluster(world);
        String clusterId = clusterId(world);
        try (EventWatcher events = EventWatcher.start(world.sandbox().kafka().bootstrapServers(),
                Topics.INCIDENTS, Topics.RECOVERIES)) {
            if (etcd == world.sandbox().etcd()) {
                startMembersLeftDown(etcd, progress);
            }
            etcd.awaitHealthy(Duration.ofSeconds(30));
            Preconditions.awaitQuiet(world, clusterId, Duration.ofSeconds(60));
            if (!Preconditions.awaitStreamsOpen(world, clusterId, Duration.ofSeconds(15))) {
                progress.say(name() + ": health-monitor's member streams to " + clusterId + " are not all open after "
                        + "15 s; its polls will find the fault, seconds later");
            }
            return play(new ClusterRun(name(), world, progress, result, events, etcd, clusterId));
        } catch (ClusterRun.Failure e) {
            return result.put("error", e.getMessage());
        } catch (IOException | RuntimeException e) {
            return result.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return result.put("error", "interrupted");
        } finally {
            afterwards(etcd, progress);
        }
    }

    /**
     * A scenario that failed half-way can leave members killed or hung; the next one would fail on them too (CI saw
     * one wrong plan become eight failures). They are started again on their data, or let go on, before it begins:
     * one failure stays one failure. A member whose data is gone stays down, and the scenario fails on it.
     */
    private void startMembersLeftDown(EtcdCluster etcd, World.Progress progress) {
        etcd.members().forEach(member -> etcd.resume(member.name()));
        List<String> started = etcd.restartStopped();
        if (!started.isEmpty()) {
            progress.say(name() + ": " + String.join(", ", started) + " found down before the scenario began (left so "
                    + "by an earlier one); started again on their data");
        }
    }

    /** The cluster broken and judged: the sandbox's own, unless the scenario says otherwise. */
    protected EtcdCluster cluster(World world) {
        return world.sandbox().etcd();
    }

    protected String clusterId(World world) {
        return cluster(world).spec().id();
    }

    /** Writes, injects the fault, judges; returns the result ({@link ClusterRun#result()}) marked ok or not. */
    protected abstract ScenarioResult play(ClusterRun run) throws IOException, InterruptedException;

    /** Runs whatever the outcome, to leave the cluster usable for the next scenario. */
    protected void afterwards(EtcdCluster etcd, World.Progress progress) {
    }
}
