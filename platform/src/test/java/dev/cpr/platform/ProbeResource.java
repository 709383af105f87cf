package dev.cpr.platform;

import dev.cpr.platform.problem.Parameters;
import dev.cpr.platform.problem.ProblemException;
import dev.cpr.platform.security.Role;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.SecurityContext;

/** A resource shaped like the services' ones, to prove the platform's rules on. */
@Path("/api/v1/probe")
public class ProbeResource {

    @GET
    @RolesAllowed(Role.VIEWER_NAME)
    public String read(@Context SecurityContext security) {
        return "read by " + security.getUserPrincipal().getName();
    }

    @POST
    @RolesAllowed(Role.OPERATOR_NAME)
    public String trigger(@Context SecurityContext security) {
        return "triggered by " + security.getUserPrincipal().getName();
    }

    @GET
    @Path("unannotated")
    public String unannotated() {
        return "needs a token all the same";
    }

    @GET
    @Path("open")
    @PermitAll
    public String open() {
        return "open";
    }

    @GET
    @Path("refused")
    @RolesAllowed(Role.VIEWER_NAME)
    public String refused() {
        throw ProblemException.badParameter("cluster", "no cluster named 'nope' in the inventory");
    }

    @GET
    @Path("broken")
    @RolesAllowed(Role.VIEWER_NAME)
    public String broken() {
        throw new IllegalStateException("a bug");
    }

    @GET
    @Path("clusters/{cluster}")
    @RolesAllowed(Role.VIEWER_NAME)
    public String cluster(@PathParam("cluster") String cluster, @QueryParam("state") String state) {
        return "cluster " + Parameters.clusterId("cluster", cluster).orElse("any") + " state " + state;
    }

    @GET
    @Path("database-broken")
    @RolesAllowed(Role.VIEWER_NAME)
    public String databaseBroken() {
        throw new IllegalStateException("ERROR: invalid byte sequence for encoding \"UTF8\": 0x00 (SQL: select * from incidents)");
    }
}
