package dev.cpr.sandbox.demo.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cpr.sandbox.demo.launcher.CprService;
import dev.cpr.sandbox.demo.launcher.ServiceProcess;
import dev.cpr.sandbox.demo.launcher.World;
import dev.cpr.sandbox.prometheus.PrometheusServer;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue #12, item 4: cpr's alert rules in a real Prometheus. The sandbox's Prometheus scrapes the four services; first
 * every metric the rules use must be there (read back from Prometheus, so a renamed metric is caught), then notifier
 * is stopped: {@code CprServiceDown{job="notifier"}} must go pending, then firing once its {@code for: 1m} has passed
 * (the rule as shipped, not shortened), and resolve once notifier runs again. Judged only by Prometheus's
 * {@code /api/v1/alerts} and {@code /api/v1/query}.
 */
public final class AlertFiresScenario implements Scenario {

    public static final String NAME = "alert-fires";
    static final String ALERT = "CprServiceDown";
    private static final CprService STOPPED = CprService.NOTIFIER;
    /**
     * Series that exist only under conditions the sandbox does not create: the RPO gauge is set only for clusters
     * with an RPO ({@code backup.rpo}), and the sandbox's clusters have none.
     */
    static final Set<String> CONDITIONAL_METRICS = Set.of("cpr_backup_rpo_breached");
    private static final Pattern METRIC = Pattern.compile("\\b(cpr_[a-z_]+)\\b");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "issue #12: the sandbox's Prometheus has every metric cpr's alert rules use; notifier is stopped and "
                + ALERT + " goes pending, fires after its minute, and resolves once notifier is back";
    }

    @Override
    public ScenarioResult run(World world, World.Progress progress) {
        ScenarioResult result = new ScenarioResult(NAME);
        PrometheusServer prometheus = world.prometheus();
        String job = STOPPED.module();
        result.put("alert", ALERT).put("job", job).put("prometheus", prometheus.url());
        try {
            boolean allUp = Pause.until(() -> upTargets(prometheus) == CprService.values().length, Duration.ofSeconds(30));
            result.put("targets_up", upTargets(prometheus));
            if (!allUp) {
                return result.put("error", "not every service is scraped: " + prometheus.targets());
            }
            Set<String> missing = missingMetrics(prometheus);
            result.put("rule_metrics_missing", List.copyOf(missing));
            progress.say(NAME + ": all " + CprService.values().length + " services scraped; metrics of the rules "
                    + (missing.isEmpty() ? "all present" : "missing: " + missing));

            ServiceProcess notifier = world.service(STOPPED);
            Instant stopped = Instant.now();
            notifier.stop(Duration.ofSeconds(10));
            progress.say(NAME + ": " + job + " stopped; waiting for " + ALERT + " (for: 1m) to fire");

            Long pendingMs = null;
            Long firingMs = null;
            Instant deadline = stopped.plus(Duration.ofSeconds(120));
            while (firingMs == null && Instant.now().isBefore(deadline)) {
                Optional<String> state = prometheus.alertState(ALERT, "job", job);
                long at = Duration.between(stopped, Instant.now()).toMillis();
                if (pendingMs == null && state.isPresent()) {
                    pendingMs = at;
                }
                if (state.filter("firing"::equals).isPresent()) {
                    firingMs = at;
                }
                Pause.millis(250);
            }
            result.put("pending_ms", pendingMs).put("firing_ms", firingMs);
            progress.say(NAME + ": " + ALERT + " pending at " + pendingMs + " ms, firing at " + firingMs + " ms");

            notifier.start(world.envFor(STOPPED));
            notifier.awaitReady(Duration.ofSeconds(120));
            long restartedMs = Duration.between(stopped, Instant.now()).toMillis();
            boolean resolved = Pause.until(() -> alertState(prometheus, job).isEmpty(), Duration.ofSeconds(60));
            long resolvedMs = Duration.between(stopped, Instant.now()).toMillis();
            result.put("restarted_ms", restartedMs).put("resolved", resolved).put("resolved_ms", resolved ? resolvedMs : null);
            progress.say(NAME + ": " + job + " ready again at " + restartedMs + " ms; " + ALERT
                    + (resolved ? " resolved at " + resolvedMs + " ms" : " still active"));
            if (firingMs == null) {
                return result.put("error", ALERT + " for " + job + " did not fire within 120 s");
            }
            boolean firedAfterItsMinute = firingMs >= 60_000;
            result.put("fired_after_for", firedAfterItsMinute);
            return result.ok(missing.isEmpty() && pendingMs != null && firedAfterItsMinute && resolved);
        } catch (IOException | RuntimeException e) {
            return result.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return result.put("error", "interrupted");
        } finally {
            ServiceProcess notifier = world.service(STOPPED);
            if (!notifier.isAlive()) {
                try {
                    // leave the world whole for whatever runs next
                    notifier.start(world.envFor(STOPPED));
                    notifier.awaitReady(Duration.ofSeconds(120));
                } catch (IOException | RuntimeException e) {
                    progress.say(NAME + ": could not start " + job + " again: " + e.getMessage());
                }
            }
        }
    }

    private static int upTargets(PrometheusServer prometheus) {
        try {
            int up = 0;
            for (JsonNode target : prometheus.targets()) {
                if ("up".equals(target.path("health").asText())) {
                    up++;
                }
            }
            return up;
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private static Optional<String> alertState(PrometheusServer prometheus, String job) {
        try {
            return prometheus.alertState(ALERT, "job", job);
        } catch (IOException e) {
            return Optional.of("unknown: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
    }

    /** The cpr_* metrics the rules reference that Prometheus has no series of (the conditional ones aside). */
    static Set<String> missingMetrics(PrometheusServer prometheus) throws IOException, InterruptedException {
        Set<String> missing = new TreeSet<>();
        for (String metric : referencedMetrics(Files.readString(prometheus.rulesFile()))) {
            if (!CONDITIONAL_METRICS.contains(metric) && prometheus.query("count(" + metric + ")").isEmpty()) {
                missing.add(metric);
            }
        }
        return missing;
    }

    static Set<String> referencedMetrics(String rules) {
        Set<String> names = new TreeSet<>();
        for (String line : rules.lines().filter(l -> !l.stripLeading().startsWith("#")).toList()) {
            Matcher m = METRIC.matcher(line);
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }
}
