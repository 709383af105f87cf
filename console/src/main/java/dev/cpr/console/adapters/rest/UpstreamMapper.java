package dev.cpr.console.adapters.rest;

import dev.cpr.console.app.ServiceDownException;
import dev.cpr.console.app.UpstreamRefusedException;
import dev.cpr.platform.problem.Problem;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A refusal by the owning service reaches the caller as that service gave it (status and problem body); a service
 * that does not answer is a 503 naming it.
 */
public class UpstreamMapper {

    private static final Logger LOG = Logger.getLogger(UpstreamMapper.class);

    @ServerExceptionMapper
    public Response refused(UpstreamRefusedException e) {
        return Response.status(e.status()).type(e.contentType()).entity(e.body()).build();
    }

    @ServerExceptionMapper
    public Response down(ServiceDownException e) {
        LOG.warn(e.getMessage());
        return Response.status(503).type(Problem.MEDIA_TYPE)
                .entity(Problem.of(503, "Service Unavailable", e.getMessage())).build();
    }
}
