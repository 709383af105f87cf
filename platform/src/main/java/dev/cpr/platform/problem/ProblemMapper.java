package dev.cpr.platform.problem;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every failure of a cpr REST API as {@code application/problem+json}: refusals with the status and
 * reason the resource chose, authentication and authorisation with 401 and 403, anything unexpected
 * as 500 (logged here, once, under an error id that the body names instead of the exception's text).
 */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);
    static final String BEARER_CHALLENGE = "Bearer realm=\"cpr\"";

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return respond(e.toProblem());
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthorized(RuntimeException e) {
        String detail = e instanceof AuthenticationFailedException && e.getMessage() != null
                ? e.getMessage()
                : "send 'Authorization: Bearer <token>' with a token configured in cpr.auth.tokens";
        return Response.fromResponse(respond(Problem.of(401, "Unauthorized", detail)))
                .header(HttpHeaders.WWW_AUTHENTICATE, BEARER_CHALLENGE).build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return respond(Problem.of(403, "Forbidden", "this token's role may not do this; "
                + "viewers read, operators trigger and approve, admins configure"));
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        Response r = e.getResponse();
        if (r.getStatus() >= 500) {
            return serverError(r.getStatus(), e);
        }
        return respond(Problem.of(r.getStatus(), r.getStatusInfo().getReasonPhrase(), e.getMessage()));
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        return serverError(500, e);
    }

    /** Logged once with a fresh error id; the body carries only the id (never the exception's text). */
    private static Response serverError(int status, Throwable e) {
        String errorId = UUID.randomUUID().toString();
        LOG.errorf(e, "request failed [error id %s]: %s", errorId, e.getMessage());
        return respond(Problem.serverError(status, errorId));
    }

    private static Response respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }
}
