package dev.cpr.notifier.adapters.rest;

import dev.cpr.platform.problem.ProblemException;
import dev.cpr.notifier.app.SlackMessages;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import dev.cpr.platform.security.Role;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

@Path("/api/v1/notifications")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.VIEWER_NAME)
public class NotificationResource {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 500;

    private final SlackMessages messages;

    NotificationResource(SlackMessages messages) {
        this.messages = messages;
    }

    @GET
    @WithSession
    @Operation(summary = "Slack messages notifier posted, newest update first")
    public Uni<List<NotificationView>> list(
            @Parameter(description = "only this incident's messages") @QueryParam("incidentId") String incidentId,
            @Parameter(description = "1 to 500, default 100") @QueryParam("limit") String limit) {
        int size = parseLimit(limit);
        String incident = incidentId == null || incidentId.isBlank() ? null : incidentId;
        return messages.latest(incident, size).map(list -> list.stream().map(NotificationView::of).toList());
    }

    static int parseLimit(String limit) {
        if (limit == null || limit.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            int value = Integer.parseInt(limit.trim());
            if (value >= 1 && value <= MAX_LIMIT) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw ProblemException.badParameter("limit", "limit must be an integer from 1 to " + MAX_LIMIT + ", was '"
                + limit + "'");
    }
}
