package dev.cpr.bosh.bbr;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Runs the {@code bbr} binary (the adapter streams its output to the log and kills it on timeout). */
public interface BbrProcess {

    /**
     * @param clusterId for the log lines
     * @param args      everything after {@code bbr}, e.g. {@code deployment --target ... backup --artifact-path D}
     * @param env       extra environment (secrets go here, never into {@code args})
     * @param onLine    told every output line as it comes (may be a no-op)
     */
    BbrRun run(String clusterId, List<String> args, Map<String, String> env, Duration timeout, Consumer<String> onLine);
}
