package dev.cpr.bosh;

import java.time.Duration;

/** How the client waits between task polls; tests inject one that advances a clock instead of sleeping. */
@FunctionalInterface
public interface Sleeper {

    Sleeper SYSTEM = duration -> Thread.sleep(duration.toMillis());

    void sleep(Duration duration) throws InterruptedException;
}
