package dev.cpr.backup.adapters.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.cpr.backup.app.BackupProblem;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error of the REST API as problem+json. */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @ServerExceptionMapper
    public Response problem(BackupProblem e, UriInfo uri) {
        return respond(e.status(), e.title(), e.getMessage(), uri);
    }

    @ServerExceptionMapper
    public Response unreadableBody(JsonProcessingException e, UriInfo uri) {
        return respond(400, "Bad request", "request body is not valid JSON for this endpoint: " + e.getOriginalMessage(), uri);
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        return respond(status, Response.Status.fromStatusCode(status) != null
                ? Response.Status.fromStatusCode(status).getReasonPhrase() : "Error", e.getMessage(), uri);
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e, UriInfo uri) {
        LOG.errorf(e, "%s failed", uri.getPath());
        return respond(500, "Internal error", String.valueOf(e.getMessage()), uri);
    }

    private static Response respond(int status, String title, String detail, UriInfo uri) {
        return Response.status(status).type(Problem.MEDIA_TYPE)
                .entity(new Problem("about:blank", title, status, detail, uri.getPath())).build();
    }
}
