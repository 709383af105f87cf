package dev.cpr.backup.adapters.rest;

import dev.cpr.backup.app.BackupRequestRefused;
import dev.cpr.platform.problem.ProblemException;
import dev.cpr.platform.problem.ProblemMapper;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** What each of app's refusals means over HTTP: the same status, title and detail the API has always answered. */
public class RefusalMapper {

    private final ProblemMapper problems = new ProblemMapper();

    @ServerExceptionMapper
    public Response refused(BackupRequestRefused e) {
        return problems.problem(problemOf(e));
    }

    static ProblemException problemOf(BackupRequestRefused e) {
        return switch (e.reason()) {
            case NOT_FOUND -> ProblemException.notFound(e.getMessage());
            case CONFLICT -> ProblemException.conflict(e.getMessage());
            case BAD_REQUEST -> ProblemException.badRequest("Bad request", e.getMessage());
            case BAD_PARAMETER -> ProblemException.badParameter(e.parameter().orElseThrow(), e.getMessage());
        };
    }
}
