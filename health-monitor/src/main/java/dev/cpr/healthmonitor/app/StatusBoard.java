package dev.cpr.healthmonitor.app;

import dev.cpr.healthmonitor.domain.Classification;
import dev.cpr.healthmonitor.domain.ClusterPoll;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The last poll of each cluster and its verdict, for the REST view and the gauges. */
@ApplicationScoped
public class StatusBoard {

    public record Latest(ClusterPoll poll, Classification classification) {
    }

    private final Map<String, Latest> latest = new ConcurrentHashMap<>();

    public void record(ClusterPoll poll, Classification classification) {
        latest.put(poll.clusterId(), new Latest(poll, classification));
    }

    public Optional<Latest> latest(String clusterId) {
        return Optional.ofNullable(latest.get(clusterId));
    }
}
