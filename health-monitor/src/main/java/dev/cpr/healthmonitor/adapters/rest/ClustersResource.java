package dev.cpr.healthmonitor.adapters.rest;

import dev.cpr.platform.security.Role;
import jakarta.annotation.security.RolesAllowed;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.Inventory;
import dev.cpr.healthmonitor.adapters.persistence.IncidentRepository;
import dev.cpr.healthmonitor.app.MemberStreams;
import dev.cpr.healthmonitor.app.PlannedOutages;
import dev.cpr.healthmonitor.app.StatusBoard;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.Operation;

@RolesAllowed(Role.VIEWER_NAME)
@Path("/api/v1/clusters")
@Produces(MediaType.APPLICATION_JSON)
public class ClustersResource {

    private final Inventory inventory;
    private final StatusBoard board;
    private final IncidentRepository repository;
    private final PlannedOutages outages;
    private final MemberStreams streams;

    public ClustersResource(Inventory inventory, StatusBoard board, IncidentRepository repository,
            PlannedOutages outages, MemberStreams streams) {
        this.inventory = inventory;
        this.board = board;
        this.repository = repository;
        this.outages = outages;
        this.streams = streams;
    }

    @GET
    @WithSession
    @Operation(summary = "Every inventory cluster with its members' last observed health, leader, database size against "
            + "the quota, certificate end, whether this replica's stream to the member is open, and open incidents")
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
        return ClusterViews.view(cluster, board.latest(cluster.id()), board.latestBosh(cluster.id()), openIncidents,
                outages.current(cluster.id()), member -> streams.open(cluster.id(), member));
    }
}
