package dev.cpr.healthmonitor.adapters.rest;

import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.healthmonitor.app.StatusBoard;
import dev.cpr.healthmonitor.domain.MemberObservation;
import dev.cpr.healthmonitor.domain.PlannedOutage;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Builds {@link ClusterView}s from the inventory and what the board last recorded, apart from the resource so the
 * view can be checked against a real cluster's poll without an HTTP server.
 */
public final class ClusterViews {

    private ClusterViews() {
    }

    /** @param streamOpen whether this replica's stream to a member is open (empty: it follows none) */
    public static ClusterView view(ClusterSpec cluster, Optional<StatusBoard.Latest> latest,
            Optional<StatusBoard.LatestBosh> latestBosh, List<IncidentView> openIncidents,
            Optional<PlannedOutage> outage, Function<String, Optional<Boolean>> streamOpen) {
        Map<String, MemberObservation> seen = latest.map(l -> l.poll().members().stream()
                        .collect(Collectors.toMap(MemberObservation::name, Function.identity(), (a, b) -> a)))
                .orElse(Map.of());
        Map<String, Instant> certificateEnds = latest.map(StatusBoard.Latest::certificateEnds).orElse(Map.of());
        List<String> expiring = latest.map(l -> l.classification().findings()
                .getOrDefault(FailureKind.CERTIFICATE_EXPIRING, List.of())).orElse(List.of());
        List<ClusterView.MemberView> members = cluster.members().stream()
                .map(m -> member(m, seen.get(m.name()), certificateEnds.get(m.name()), expiring.contains(m.name()),
                        streamOpen.apply(m.name()).orElse(null)))
                .toList();
        return new ClusterView(
                cluster.id(),
                cluster.kind() == null ? null : cluster.kind().name().toLowerCase(Locale.ROOT),
                latest.map(l -> l.classification().quorum()).orElse(cluster.quorum()),
                latest.map(l -> l.classification().failure().map(Enum::name).orElse("HEALTHY")).orElse("UNKNOWN"),
                latest.map(l -> (int) l.poll().healthyCount()).orElse(null),
                latest.flatMap(l -> l.poll().leader()).orElse(null),
                latest.map(l -> l.poll().polledAt()).orElse(null),
                latest.map(l -> l.poll().alarms()).orElse(List.of()),
                latest.map(l -> l.poll().quotaBytes()).orElse(null),
                members,
                openIncidents,
                bosh(cluster, latestBosh),
                outage.map(o -> new ClusterView.HeldBy(o.planId(), o.plan(), o.until())).orElse(null));
    }

    private static ClusterView.BoshView bosh(ClusterSpec cluster, Optional<StatusBoard.LatestBosh> latest) {
        if (cluster.bosh() == null) {
            return null;
        }
        var spec = cluster.bosh();
        if (latest.isEmpty()) {
            return new ClusterView.BoshView(spec.directorUrl(), spec.deployment(), spec.instanceGroupOrDefault(), null,
                    null, null, null, List.of(), List.of());
        }
        var seen = latest.get().observation();
        List<ClusterView.InstanceView> instances = seen.instances().stream()
                .map(i -> new ClusterView.InstanceView(i.name(), i.group(), i.id(), i.index(), i.processState(),
                        i.jobState(), i.desiredState(), i.vmCid(), i.az(), i.ips(),
                        i.processes().stream().collect(Collectors.toMap(p -> p.name(), p -> String.valueOf(p.state()),
                                (a, b) -> a, java.util.LinkedHashMap::new))))
                .toList();
        return new ClusterView.BoshView(spec.directorUrl(), spec.deployment(), spec.instanceGroupOrDefault(),
                seen.polledAt(), seen.directorReachable(), seen.directorName(), seen.problem().orElse(null),
                latest.get().verdict().findings().keySet().stream().map(Enum::name).sorted().toList(), instances);
    }

    private static ClusterView.MemberView member(MemberSpec spec, MemberObservation seen, Instant certificateEnd,
            boolean certificateExpiring, Boolean streamOpen) {
        if (seen == null) {
            return new ClusterView.MemberView(spec.name(), spec.clientUrl(), null, null, false, null, null, null, null,
                    certificateEnd, certificateEnd == null ? null : certificateExpiring, streamOpen);
        }
        return new ClusterView.MemberView(spec.name(), spec.clientUrl(), seen.healthy(), seen.reason(),
                seen.leader(), seen.raftIndex(), seen.revision(), seen.dbSize(), seen.dbSizeInUse(), certificateEnd,
                certificateEnd == null ? null : certificateExpiring, streamOpen);
    }
}
