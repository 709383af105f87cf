package dev.cpr.healthmonitor.app;

import dev.cpr.healthmonitor.domain.Classification;
import dev.cpr.healthmonitor.domain.ClusterPoll;
import dev.cpr.healthmonitor.domain.bosh.BoshObservation;
import dev.cpr.healthmonitor.domain.bosh.BoshVerdict;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The last poll of each cluster and its verdict, for the REST view and the gauges. */
@ApplicationScoped
public class StatusBoard {

    /**
     * @param certificateEnds when each member's TLS certificate ends, as the slow checks last read it (the verdict was
     *                        judged on these; empty for a plain-HTTP cluster or before the first reading)
     */
    public record Latest(ClusterPoll poll, Classification classification, Map<String, Instant> certificateEnds) {

        public Latest {
            certificateEnds = Map.copyOf(certificateEnds);
        }
    }

    /** The last BOSH poll of a {@code kind: bosh} cluster. */
    public record LatestBosh(BoshObservation observation, BoshVerdict verdict) {
    }

    private final Map<String, Latest> latest = new ConcurrentHashMap<>();
    private final Map<String, LatestBosh> latestBosh = new ConcurrentHashMap<>();

    public void recordBosh(BoshObservation observation, BoshVerdict verdict) {
        latestBosh.put(observation.clusterId(), new LatestBosh(observation, verdict));
    }

    public Optional<LatestBosh> latestBosh(String clusterId) {
        return Optional.ofNullable(latestBosh.get(clusterId));
    }

    public void record(ClusterPoll poll, Classification classification, Map<String, Instant> certificateEnds) {
        latest.put(poll.clusterId(), new Latest(poll, classification, certificateEnds));
    }

    public Optional<Latest> latest(String clusterId) {
        return Optional.ofNullable(latest.get(clusterId));
    }
}
