package dev.cpr.console.adapters.web;

import dev.cpr.console.adapters.ConsoleConfig;
import dev.cpr.console.adapters.security.CallerToken;
import dev.cpr.console.adapters.security.OidcCodeFlow;
import dev.cpr.console.app.Console;
import dev.cpr.console.app.PlanAction;
import dev.cpr.console.app.ServiceDownException;
import dev.cpr.console.app.UpstreamRefusedException;
import dev.cpr.console.domain.Plan;
import dev.cpr.console.domain.PlanLoss;
import dev.cpr.platform.problem.ProblemException;
import dev.cpr.platform.security.Role;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestStreamElementType;

/**
 * The web dashboard: overview, plans, a plan, an incident, history, backups. Each page is served whole, then kept live by a
 * server-sent event stream of its live part, read again from the services every {@code cpr.console.refresh-interval}
 * with the viewer's own token (so a page shows only what that token may read). Buttons post forms back here;
 * they need the operator role, checked here and again by the owning service.
 */
@Path("/")
@Blocking
public class DashboardResource {

    private final Console console;
    private final IdentityProviderManager identities;
    private final ConsoleConfig config;
    private final OidcCodeFlow codeFlow;

    @Context
    HttpHeaders headers;

    public DashboardResource(Console console, IdentityProviderManager identities, ConsoleConfig config,
            OidcCodeFlow codeFlow) {
        this.console = console;
        this.identities = identities;
        this.config = config;
        this.codeFlow = codeFlow;
    }

    @GET
    @PermitAll
    @Produces(MediaType.TEXT_HTML)
    public Response overview() {
        return page("Overview", "/ui/stream/overview", this::overviewPart);
    }

    @GET
    @Path("plans")
    @PermitAll
    @Produces(MediaType.TEXT_HTML)
    public Response plans() {
        return page("Plans", "/ui/stream/plans", this::plansPart);
    }

    @GET
    @Path("plans/{id}")
    @PermitAll
    @Produces(MediaType.TEXT_HTML)
    public Response plan(@PathParam("id") String id, @QueryParam("notice") String notice) {
        return page("Plan " + id, "/ui/stream/plans/" + id, session -> planPart(id, session, notice));
    }

    @GET
    @Path("incidents/{id}")
    @PermitAll
    @Produces(MediaType.TEXT_HTML)
    public Response incident(@PathParam("id") String id) {
        return page("Incident " + id, "/ui/stream/incidents/" + id, session -> incidentPart(id, session));
    }

    @GET
    @Path("history")
    @PermitAll
    @Produces(MediaType.TEXT_HTML)
    public Response history() {
        return page("History", "/ui/stream/history", this::historyPart);
    }

    @GET
    @Path("backups")
    @PermitAll
    @Produces(MediaType.TEXT_HTML)
    public Response backups(@QueryParam("cluster") String cluster) {
        String stream = "/ui/stream/backups" + (cluster == null || cluster.isBlank() ? "" : "?cluster=" + cluster);
        return page("Backups", stream, session -> backupsPart(cluster, session));
    }

    @GET
    @Path("ui/stream/{view: .+}")
    @RolesAllowed(Role.VIEWER_NAME)
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public Multi<Fragment> stream(@PathParam("view") String view, @QueryParam("cluster") String cluster) {
        Session session = session().orElseThrow(() -> new AuthenticationFailedException("log in first"));
        Function<Session, String> part = part(view, cluster);
        return Multi.createFrom().ticks().startingAfter(Duration.ofMillis(1)).every(config.refreshInterval())
                .onOverflow().drop()
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(tick -> new Fragment(part.apply(session)))
                // only what changed goes out; an idle page costs one read per interval and no traffic
                .skip().repetitions();
    }

    @POST
    @Path("ui/plans/{id}/{action}")
    @RolesAllowed(Role.OPERATOR_NAME)
    @Operation(hidden = true)
    public Response decide(@PathParam("id") String id, @PathParam("action") String action,
            @FormParam("reason") String reason) {
        sameOrigin();
        PlanAction parsed;
        try {
            parsed = PlanAction.parse(action);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badParameter("action", e.getMessage());
        }
        String notice;
        try {
            console.decide(token(), id, parsed, reason == null || reason.isBlank() ? "from the dashboard" : reason);
            notice = parsed.path() + "d";
        } catch (UpstreamRefusedException e) {
            if (e.status() == 401 || e.status() == 403) {
                throw e;
            }
            notice = "refused by restore-service (" + e.status() + ")";
        }
        return Response.seeOther(URI.create("/plans/" + id + "?notice="
                + java.net.URLEncoder.encode(notice, java.nio.charset.StandardCharsets.UTF_8))).build();
    }

    @POST
    @Path("ui/backups")
    @RolesAllowed(Role.OPERATOR_NAME)
    @Operation(hidden = true)
    public Response saveBackup(@FormParam("cluster") String cluster) {
        sameOrigin();
        console.saveBackup(token(), new Console.BackupRequest(cluster, null, null));
        return Response.seeOther(URI.create("/backups?cluster=" + cluster)).build();
    }

    @POST
    @Path("ui/backups/{id}/verify")
    @RolesAllowed(Role.OPERATOR_NAME)
    @Operation(hidden = true)
    public Response verifyBackup(@PathParam("id") String id) {
        sameOrigin();
        console.verifyBackup(token(), id);
        return Response.seeOther(URI.create("/backups")).build();
    }

    @GET
    @Path("login")
    @PermitAll
    @Produces(MediaType.TEXT_HTML)
    public String loginForm() {
        return Templates.login(null, codeFlow.enabled()).render();
    }

    /** Checks the token with the same registry as the API, then keeps it in the login cookie. */
    @POST
    @Path("login")
    @PermitAll
    @Produces(MediaType.TEXT_HTML)
    public Response login(@FormParam("token") String token) {
        if (token == null || token.isBlank() || identity(token.trim()).isEmpty()) {
            return Response.status(401).entity(Templates.login("unknown token", codeFlow.enabled()).render())
                    .type(MediaType.TEXT_HTML)
                    .build();
        }
        return Response.seeOther(URI.create("/")).cookie(LoginCookie.holding(token.trim(), config.secureCookie())).build();
    }

    @GET
    @Path("logout")
    @PermitAll
    public Response logout() {
        return Response.seeOther(URI.create("/login")).cookie(LoginCookie.gone()).build();
    }

    private Response page(String title, String stream, Function<Session, String> part) {
        Optional<Session> session = session();
        if (session.isEmpty()) {
            return Response.seeOther(URI.create("/login")).build();
        }
        String html = Templates.page(title, session.get().viewer(), stream, part.apply(session.get())).render();
        return Response.ok(html, MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).build();
    }

    private Function<Session, String> part(String view, String cluster) {
        if (view.equals("overview")) {
            return this::overviewPart;
        }
        if (view.equals("plans")) {
            return this::plansPart;
        }
        if (view.equals("history")) {
            return this::historyPart;
        }
        if (view.equals("backups")) {
            return session -> backupsPart(cluster, session);
        }
        if (view.startsWith("plans/")) {
            String id = view.substring("plans/".length());
            return session -> planPart(id, session, null);
        }
        if (view.startsWith("incidents/")) {
            String id = view.substring("incidents/".length());
            return session -> incidentPart(id, session);
        }
        throw ProblemException.notFound("no live view '" + view + "'");
    }

    private String overviewPart(Session session) {
        return Templates.overview(console.overview(session.token()), session.viewer()).render();
    }

    private String historyPart(Session session) {
        return Templates.history(console.history(session.token())).render();
    }

    private String plansPart(Session session) {
        return guarded(() -> Templates.plans(console.plans(session.token(), null, 50), List.of()).render(),
                note -> Templates.plans(List.of(), List.of(note)).render());
    }

    private String planPart(String id, Session session, String notice) {
        return guarded(() -> {
            Plan plan = console.plan(session.token(), id);
            String loss = plan.awaitingApproval() ? PlanLoss.describe(plan, console.now()).orElse(null) : null;
            return Templates.plan(plan, loss, session.viewer(), notice).render();
        }, note -> "<p class=\"note\">" + escape(note) + "</p>");
    }

    private String incidentPart(String id, Session session) {
        return guarded(() -> Templates.incident(console.incident(session.token(), id)).render(),
                note -> "<p class=\"note\">" + escape(note) + "</p>");
    }

    private String backupsPart(String cluster, Session session) {
        return guarded(() -> Templates.backups(console.backups(session.token(), cluster), cluster, session.viewer(),
                        List.of()).render(),
                note -> Templates.backups(List.of(), cluster, session.viewer(), List.of(note)).render());
    }

    /** A service that is down, or refuses, leaves a note where its part would be; the page stays up. */
    private static String guarded(java.util.function.Supplier<String> render, Function<String, String> note) {
        try {
            return render.get();
        } catch (ServiceDownException e) {
            return note.apply(e.getMessage());
        } catch (UpstreamRefusedException e) {
            return note.apply(e.service().id() + " answered " + e.status() + ": "
                    + new String(e.body(), java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    private Optional<Session> session() {
        String token = token();
        return token == null ? Optional.empty()
                : identity(token).map(identity -> new Session(viewerOf(identity), token));
    }

    /** Who is looking, and the token their page's reads are made with (read once, on the request's thread). */
    record Session(Viewer viewer, String token) {
    }

    private Optional<SecurityIdentity> identity(String token) {
        try {
            return Optional.of(identities.authenticateBlocking(
                    new TokenAuthenticationRequest(new TokenCredential(token, "bearer"))));
        } catch (AuthenticationFailedException e) {
            return Optional.empty();
        }
    }

    private static Viewer viewerOf(SecurityIdentity identity) {
        String role = identity.hasRole(Role.ADMIN_NAME) ? Role.ADMIN_NAME
                : identity.hasRole(Role.OPERATOR_NAME) ? Role.OPERATOR_NAME : Role.VIEWER_NAME;
        return new Viewer(identity.getPrincipal().getName(), role, identity.hasRole(Role.OPERATOR_NAME));
    }

    /**
     * A form post must come from the dashboard's own pages: a browser always sends Origin on a POST, and it must be
     * this host (the SameSite=Strict cookie already keeps other sites out; this also covers a cookie set by hand).
     */
    private void sameOrigin() {
        String origin = headers.getHeaderString("Origin");
        String host = headers.getHeaderString("Host");
        if (origin != null && !"null".equals(origin) && host != null
                && !URI.create(origin).getAuthority().equalsIgnoreCase(host)) {
            throw new ProblemException(403, "Forbidden", "a form from " + origin + " may not act on this console");
        }
    }

    private String token() {
        return CallerToken.of(headers);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
