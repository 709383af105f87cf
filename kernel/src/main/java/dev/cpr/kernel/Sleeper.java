package dev.cpr.kernel;

import java.time.Duration;

/** Waiting between attempts and polls; a test passes one that records instead of sleeping. */
@FunctionalInterface
public interface Sleeper {

    void sleep(Duration duration) throws InterruptedException;

    Sleeper REAL = d -> Thread.sleep(d.toMillis());
}
