package dev.cpr.restore.bench;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.Locale;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * restore-service with 50 clusters failing at once (issue #15; not a test, a {@code main} that prints its figures).
 * The service's planning path needs the service around it (Hibernate Reactive on PostgreSQL, the outbox, the plan
 * runner), so this main boots it the way its tests do, through Quarkus's JUnit extension, by running
 * {@link MeltdownBenchmarkRun} (named so that surefire never runs it) on the JUnit Platform. Options are handed over
 * as system properties {@code cpr.bench.<option>}; see {@link MeltdownBenchmarkRun} for what is measured and
 * BENCHMARKS.md for how to run it.
 */
public final class MeltdownBenchmark {

    /**
     * By name: Quarkus's launcher interceptor loads a {@code @QuarkusTest} class through its own class loader during
     * discovery, which a {@code Class} already loaded here would bypass.
     */
    private static final String RUN = "dev.cpr.restore.bench.MeltdownBenchmarkRun";

    private MeltdownBenchmark() {
    }

    public static void main(String[] args) {
        for (String name : new String[] {"clusters", "meltdown-clusters", "replicas"}) {
            String value = option(args, "--" + name, null);
            if (value != null) {
                System.setProperty("cpr.bench." + name, value);
            }
        }
        TestExecutionSummary summary = run();
        summary.getFailures().forEach(failure -> failure.getException().printStackTrace());
        System.out.printf(Locale.ROOT, "benchmark run: %d succeeded, %d failed%n", summary.getTestsSucceededCount(),
                summary.getTotalFailureCount());
        System.exit(summary.getTotalFailureCount() == 0 && summary.getTestsSucceededCount() == 1 ? 0 : 1);
    }

    private static TestExecutionSummary run() {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(RUN)).build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(request, listener);
        return listener.getSummary();
    }

    private static String option(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
