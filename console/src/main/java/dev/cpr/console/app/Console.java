package dev.cpr.console.app;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.cpr.console.domain.Backup;
import dev.cpr.console.domain.BackupFreshness;
import dev.cpr.console.domain.Cluster;
import dev.cpr.console.domain.ClusterOverview;
import dev.cpr.console.domain.History;
import dev.cpr.console.domain.Incident;
import dev.cpr.console.domain.Overview;
import dev.cpr.console.domain.Plan;
import dev.cpr.console.domain.Service;
import dev.cpr.console.domain.ServiceStatus;
import dev.cpr.console.domain.Timeline;
import dev.cpr.console.domain.TimelineEntry;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What the dashboard and the CLI ask of cpr, answered from the four services: reads are composed here, actions
 * are passed to the owning service with the caller's token. The console keeps nothing of its own.
 */
@ApplicationScoped
public class Console {

    static final String INCIDENTS = "/api/v1/incidents";
    static final String RECOVERIES = "/api/v1/recoveries";
    static final String BACKUPS = "/api/v1/backups";

    private static final TypeReference<List<Cluster>> CLUSTERS = new TypeReference<>() { };
    private static final TypeReference<List<Incident>> INCIDENT_LIST = new TypeReference<>() { };
    private static final TypeReference<Incident> INCIDENT = new TypeReference<>() { };
    private static final TypeReference<List<Plan>> PLANS = new TypeReference<>() { };
    private static final TypeReference<Plan> PLAN = new TypeReference<>() { };
    private static final TypeReference<List<Backup>> BACKUP_LIST = new TypeReference<>() { };
    private static final TypeReference<Backup> BACKUP = new TypeReference<>() { };

    private final Upstream upstream;
    private final RpoSource rpos;
    private final Clock clock;

    public Console(Upstream upstream, RpoSource rpos, Clock clock) {
        this.upstream = upstream;
        this.rpos = rpos;
        this.clock = clock;
    }

    /** Every service's reachability and every cluster; a service that is down leaves its part out and says so. */
    public Overview overview(String token) {
        Instant now = clock.instant();
        List<ServiceStatus> services = Arrays.stream(Service.values()).map(upstream::probe).toList();
        List<String> notes = new ArrayList<>();
        List<Cluster> clusters = attempt(() -> upstream.get(Service.HEALTH_MONITOR, "/api/v1/clusters", token, CLUSTERS),
                notes, "clusters");
        List<Backup> backups = attempt(() -> upstream.get(Service.BACKUP_SERVICE, BACKUPS, token, BACKUP_LIST),
                notes, "backups");
        List<Plan> plans = attempt(() -> upstream.get(Service.RESTORE_SERVICE, RECOVERIES + "?limit=100", token, PLANS),
                notes, "plans");
        Map<String, List<Backup>> backupsByCluster = backups.stream().collect(Collectors.groupingBy(Backup::clusterId));
        List<ClusterOverview> rows = clusters.stream().map(c -> new ClusterOverview(c,
                        BackupFreshness.of(backupsByCluster.getOrDefault(c.id(), List.of()), rpos.rpo(c.id()), now),
                        plans.stream().filter(p -> c.id().equals(p.clusterId()) && !p.finished()).toList()))
                .toList();
        return new Overview(now, services, rows, notes);
    }

    /**
     * Every recovery that ran and every backup, as charts. A service that is down leaves its charts out and says so;
     * the page still answers.
     */
    public History history(String token) {
        List<String> notes = new ArrayList<>();
        List<Plan> plans = attempt(() -> upstream.get(Service.RESTORE_SERVICE, RECOVERIES + "?limit=200", token, PLANS),
                notes, "plans");
        List<Incident> incidents = attempt(() -> upstream.get(Service.HEALTH_MONITOR, INCIDENTS, token, INCIDENT_LIST),
                notes, "incidents");
        List<Backup> backups = attempt(() -> upstream.get(Service.BACKUP_SERVICE, BACKUPS, token, BACKUP_LIST),
                notes, "backups");
        return History.of(plans, incidents, backups, notes);
    }

    public List<Incident> incidents(String token, String cluster, boolean openOnly) {
        return upstream.get(Service.HEALTH_MONITOR, INCIDENTS + query("cluster", cluster, "state", openOnly ? "OPEN" : null),
                token, INCIDENT_LIST);
    }

    /** An incident, the plans it got (newest first) and its timeline. */
    public IncidentDetail incident(String token, String id) {
        Incident incident = upstream.get(Service.HEALTH_MONITOR, INCIDENTS + "/" + encode(id), token, INCIDENT);
        List<String> notes = new ArrayList<>();
        List<Plan> plans = attempt(() -> upstream.get(Service.RESTORE_SERVICE,
                RECOVERIES + query("cluster", incident.clusterId(), "limit", "200"), token, PLANS), notes, "plans")
                .stream().filter(p -> id.equals(p.incidentId())).toList();
        List<TimelineEntry> timeline = Timeline.of(incident, plans);
        return new IncidentDetail(incident, plans, timeline, notes);
    }

    public List<Plan> plans(String token, String cluster, Integer limit) {
        return upstream.get(Service.RESTORE_SERVICE,
                RECOVERIES + query("cluster", cluster, "limit", limit == null ? null : limit.toString()), token, PLANS);
    }

    public Plan plan(String token, String id) {
        return upstream.get(Service.RESTORE_SERVICE, RECOVERIES + "/" + encode(id), token, PLAN);
    }

    /** approve, reject or cancel, by the owning service, with the caller's token (its role check and its audit). */
    public Upstream.Reply decide(String token, String id, PlanAction action, String reason) {
        Object body = action == PlanAction.CANCEL ? null : Map.of("reason", reason == null ? "" : reason);
        return upstream.post(Service.RESTORE_SERVICE, RECOVERIES + "/" + encode(id) + "/" + action.path(), token, body);
    }

    /** Triggers (or, with {@code dryRun}, only shows) a recovery plan. */
    public Upstream.Reply recover(String token, RecoverRequest request) {
        return upstream.post(Service.RESTORE_SERVICE, RECOVERIES, token, request);
    }

    public List<Backup> backups(String token, String cluster) {
        return upstream.get(Service.BACKUP_SERVICE, BACKUPS + query("cluster", cluster), token, BACKUP_LIST);
    }

    public Backup backup(String token, String id) {
        return upstream.get(Service.BACKUP_SERVICE, BACKUPS + "/" + encode(id), token, BACKUP);
    }

    public Upstream.Reply saveBackup(String token, BackupRequest request) {
        return upstream.post(Service.BACKUP_SERVICE, BACKUPS, token, request);
    }

    public Upstream.Reply verifyBackup(String token, String id) {
        return upstream.post(Service.BACKUP_SERVICE, BACKUPS + "/" + encode(id) + "/verify", token, null);
    }

    public Upstream.Download downloadBackup(String token, String id) {
        return upstream.download(Service.BACKUP_SERVICE, BACKUPS + "/" + encode(id) + "/download", token);
    }

    public Duration rpo(String cluster) {
        return rpos.rpo(cluster);
    }

    public Instant now() {
        return clock.instant();
    }

    /** A read the page can do without: a service that is down or refuses leaves an empty part and a note. */
    private static <T> List<T> attempt(java.util.function.Supplier<List<T>> read, List<String> notes, String what) {
        try {
            return read.get();
        } catch (ServiceDownException e) {
            notes.add("no " + what + ": " + e.getMessage());
        } catch (UpstreamRefusedException e) {
            notes.add("no " + what + ": " + e.service().id() + " answered " + e.status());
        }
        return List.of();
    }

    static String query(String... pairs) {
        StringBuilder q = new StringBuilder();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            if (pairs[i + 1] != null && !pairs[i + 1].isBlank()) {
                q.append(q.isEmpty() ? '?' : '&').append(pairs[i]).append('=').append(encode(pairs[i + 1]));
            }
        }
        return q.toString();
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** The incident page's content. */
    public record IncidentDetail(Incident incident, List<Plan> plans, List<TimelineEntry> timeline, List<String> notes) {
    }

    /** Body of a recovery trigger, as restore-service takes it. */
    public record RecoverRequest(String cluster, String plan, String member, String snapshotId, Long targetRevision,
            String targetTime, Boolean dryRun) {
    }

    /** Body of a backup trigger, as backup-service takes it. */
    public record BackupRequest(String cluster, String compression, String kind) {
    }
}
