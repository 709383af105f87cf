package dev.cpr.backup.adapters.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.cpr.platform.problem.Problem;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A request body that is not the JSON an endpoint expects is a 400 (the platform's mapper handles every other
 * failure; this one is more specific than its catch-all, so it wins for Jackson's exceptions).
 */
public class JsonBodyMapper {

    @ServerExceptionMapper
    public Response unreadableBody(JsonProcessingException e) {
        Problem problem = Problem.of(400, "Bad request",
                "request body is not valid JSON for this endpoint: " + e.getOriginalMessage());
        return Response.status(400).type(Problem.MEDIA_TYPE).entity(problem).build();
    }
}
