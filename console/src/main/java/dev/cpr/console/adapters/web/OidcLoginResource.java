package dev.cpr.console.adapters.web;

import dev.cpr.console.adapters.ConsoleConfig;
import dev.cpr.console.adapters.security.OidcCodeFlow;
import dev.cpr.platform.security.oidc.OidcUnavailableException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.logging.Logger;

/**
 * "Log in with SSO": sends the browser to the OIDC provider and takes it back. Between the two, the attempt's state and
 * PKCE verifier wait in a short-lived HttpOnly cookie scoped to this path; it is SameSite=Lax because the browser comes
 * back from the provider's site, where a Strict cookie would not be sent. The login cookie itself stays Strict.
 */
@Path("/login/oidc")
@Blocking
@PermitAll
public class OidcLoginResource {

    private static final Logger LOG = Logger.getLogger(OidcLoginResource.class);
    static final String ATTEMPT_COOKIE = "cpr_login_attempt";
    private static final int ATTEMPT_SECONDS = 600;

    private final OidcCodeFlow flow;
    private final IdentityProviderManager identities;
    private final ConsoleConfig config;

    @Context
    UriInfo uri;

    public OidcLoginResource(OidcCodeFlow flow, IdentityProviderManager identities, ConsoleConfig config) {
        this.flow = flow;
        this.identities = identities;
        this.config = config;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response begin() {
        if (!flow.enabled()) {
            return refused(404, "no OIDC provider is configured for this console");
        }
        OidcCodeFlow.Attempt attempt;
        try {
            attempt = flow.begin(flow.redirectUri(uri.getBaseUri()));
        } catch (OidcUnavailableException e) {
            LOG.warn(e.getMessage());
            return refused(503, "the OIDC provider cannot be reached; log in with a token meanwhile");
        }
        NewCookie remembered = new NewCookie.Builder(ATTEMPT_COOKIE).value(attempt.state() + "." + attempt.verifier())
                .path("/login/oidc").maxAge(ATTEMPT_SECONDS).httpOnly(true).secure(config.secureCookie())
                .sameSite(NewCookie.SameSite.LAX).build();
        return Response.seeOther(attempt.authorizeUrl()).cookie(remembered).build();
    }

    @GET
    @Path("callback")
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response callback(@QueryParam("code") String code, @QueryParam("state") String state,
            @QueryParam("error") String error, @QueryParam("error_description") String description,
            @CookieParam(ATTEMPT_COOKIE) String attempt) {
        if (error != null) {
            return refused(401, "the OIDC provider did not log you in: " + error
                    + (description == null ? "" : " (" + description + ")"));
        }
        // the state ties this return to an attempt this browser began: without it, anyone could log a victim in
        // as themselves by sending them a link with their own code
        int dot = attempt == null ? -1 : attempt.indexOf('.');
        if (code == null || state == null || dot < 0 || !sameText(state, attempt.substring(0, dot))) {
            return refused(401, "this login was not begun here, or took longer than 10 minutes: log in again");
        }
        String token;
        try {
            token = flow.accessToken(code, flow.redirectUri(uri.getBaseUri()), attempt.substring(dot + 1));
            identities.authenticateBlocking(new TokenAuthenticationRequest(new TokenCredential(token, "bearer")));
        } catch (OidcUnavailableException | AuthenticationFailedException e) {
            LOG.info("an OIDC login was refused: " + e.getMessage());
            return refused(401, e.getMessage());
        }
        NewCookie login = LoginCookie.holding(token, config.secureCookie());
        NewCookie attemptDone = new NewCookie.Builder(ATTEMPT_COOKIE).value("").path("/login/oidc").maxAge(0)
                .httpOnly(true).sameSite(NewCookie.SameSite.LAX).build();
        // a page of our own, not a redirect: the browser would not send the Strict cookie on a redirect chain that
        // began at the provider's site, and the person would land on the login page again
        return Response.ok(Templates.loggedIn().render(), MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .cookie(login, attemptDone).build();
    }

    private Response refused(int status, String why) {
        return Response.status(status).entity(Templates.login(why, flow.enabled()).render())
                .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).build();
    }

    private static boolean sameText(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
