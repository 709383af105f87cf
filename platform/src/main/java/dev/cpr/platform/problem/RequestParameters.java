package dev.cpr.platform.problem;

import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses, before any resource sees it, a query or path parameter holding a control character (a NUL byte
 * above all: PostgreSQL's text cannot hold one, so it used to come back as a 500 carrying the driver's
 * message). 400 problem+json naming the parameter. Every cpr service gets this through the platform.
 */
public class RequestParameters {

    @ServerRequestFilter
    public Optional<Response> refuseControlCharacters(UriInfo uri) {
        return firstBad("query", uri.getQueryParameters())
                .or(() -> firstBad("path", uri.getPathParameters()))
                .map(problem -> Response.status(400).type(Problem.MEDIA_TYPE).entity(problem).build());
    }

    private static Optional<Problem> firstBad(String where, MultivaluedMap<String, String> parameters) {
        for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
            for (String value : parameter.getValue()) {
                Optional<String> wrong = Parameters.controlCharacter(value);
                if (wrong.isPresent()) {
                    return Optional.of(ProblemException.badParameter(parameter.getKey(),
                            where + " parameter '" + parameter.getKey() + "' contains " + wrong.get()
                                    + ", which no valid value holds").toProblem());
                }
            }
        }
        return Optional.empty();
    }
}
