package dev.cpr.healthmonitor.adapters.rest;

import dev.cpr.platform.security.Role;
import jakarta.annotation.security.RolesAllowed;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.Inventory;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.healthmonitor.adapters.persistence.IncidentRepository;
import dev.cpr.healthmonitor.app.StatusBoard;
import dev.cpr.healthmonitor.domain.MemberObservation;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.Operation;

@RolesAllowed(Role.VIEWER_NAME)
@Path("/api/v1/clusters")
@Produces(MediaType.APPLICATION_JSON)
public class ClustersResource {

    private final Inventory inventory;
    private final StatusBoard board;
    private final IncidentRepository repository;

    public ClustersResource(Inventory inventory, StatusBoard board, IncidentRepository repository) {
        this.inventory = inventory;
        this.board = board;
        this.repository = repository;
    }

    @GET
    @WithSession
    @Operation(summary = "Every inventory cluster with its members' last observed health, leader and open incidents")
    public Uni<List<ClusterView>> list() {
        return repository.open().map(open -> {
            Map<String, List<IncidentView>> byCluster = open.stream().map(IncidentView::of)
                    .collect(Collectors.groupingBy(IncidentView::clusterId));
            return inventory.clusters().stream()
                    .map(c -> view(c, byCluster.getOrDefault(c.id(), List.of())))
                    .toList();
        });
    }

    private ClusterView view(ClusterSpec cluster, List<IncidentView> openIncidents) {
        Optional<StatusBoard.Latest> latest = board.latest(cluster.id());
        Map<String, MemberObservation> seen = latest.map(l -> l.poll().members().stream()
                        .collect(Collectors.toMap(MemberObservation::name, Function.identity(), (a, b) -> a)))
                .orElse(Map.of());
        List<ClusterView.MemberView> members = cluster.members().stream()
                .map(m -> member(m, seen.get(m.name())))
                .toList();
        return new ClusterView(
                cluster.id(),
                cluster.kind() == null ? null : cluster.kind().name().toLowerCase(java.util.Locale.ROOT),
                latest.map(l -> l.classification().quorum()).orElse(cluster.quorum()),
                latest.map(l -> l.classification().failure().map(Enum::name).orElse("HEALTHY")).orElse("UNKNOWN"),
                latest.map(l -> (int) l.poll().healthyCount()).orElse(null),
                latest.flatMap(l -> l.poll().leader()).orElse(null),
                latest.map(l -> l.poll().polledAt()).orElse(null),
                latest.map(l -> l.poll().alarms()).orElse(List.of()),
                members,
                openIncidents,
                bosh(cluster));
    }

    private ClusterView.BoshView bosh(ClusterSpec cluster) {
        if (cluster.bosh() == null) {
            return null;
        }
        var spec = cluster.bosh();
        Optional<StatusBoard.LatestBosh> latest = board.latestBosh(cluster.id());
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

    private static ClusterView.MemberView member(MemberSpec spec, MemberObservation seen) {
        if (seen == null) {
            return new ClusterView.MemberView(spec.name(), spec.clientUrl(), null, null, false, null, null);
        }
        return new ClusterView.MemberView(spec.name(), spec.clientUrl(), seen.healthy(), seen.reason(),
                seen.leader(), seen.raftIndex(), seen.revision());
    }
}
