package dev.cpr.restore.adapters.rest;

import dev.cpr.platform.problem.ProblemException;
import dev.cpr.platform.problem.ProblemMapper;
import dev.cpr.restore.app.RecoveryRequestRefused;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** What each of the app's refusals means over HTTP: the same status, title and detail the API has always answered. */
public class RefusalMapper {

    private final ProblemMapper problems = new ProblemMapper();

    @ServerExceptionMapper
    public Response refused(RecoveryRequestRefused e) {
        return problems.problem(problemOf(e));
    }

    static ProblemException problemOf(RecoveryRequestRefused e) {
        int status = switch (e.reason()) {
            case BAD_REQUEST -> 400;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case UNAVAILABLE -> 503;
        };
        return new ProblemException(status, e.title(), e.detail());
    }
}
