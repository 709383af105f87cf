package dev.cpr.sandbox.demo.scenario;

import dev.cpr.sandbox.demo.launcher.World;

/** A failure from the seeds, injected into the running world, with cpr judged by what happens next. */
public interface Scenario {

    String name();

    /** One sentence for {@code ./cpr demo --help}. */
    String description();

    /** Runs against a started world and leaves the cluster healthy for the next scenario when it can. */
    ScenarioResult run(World world, World.Progress progress);
}
