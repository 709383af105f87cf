package dev.cpr.sandbox.bosh;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.cpr.sandbox.bosh.BoshDirectorSimulator.Auth;
import dev.cpr.sandbox.bosh.BoshDirectorSimulator.Options;
import dev.cpr.sandbox.simhttp.SimHttp;
import dev.cpr.sandbox.simhttp.SimHttp.BasicCredentials;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Who may call the director: its UAA (client credentials in, bearer tokens out) or basic auth, as {@code /info}
 * announces, and which clients may see the deployment.
 */
final class DirectorAuth {

    private static final ObjectMapper JSON = new ObjectMapper();

    private record TokenGrant(String client, java.time.Instant expiresAt) {
    }

    private record ClientGrant(String secret, boolean authorizedForDeployment) {
    }

    private final Options options;
    private final Clock clock;
    private final String directorUuid;
    private final Map<String, TokenGrant> tokens = new ConcurrentHashMap<>();
    private final Map<String, ClientGrant> clients = new ConcurrentHashMap<>();
    private final AtomicInteger tokensIssued = new AtomicInteger();
    private final SecureRandom random = new SecureRandom();
    private volatile boolean rejectTokens;

    DirectorAuth(Options options, Clock clock, String directorUuid) {
        this.options = options;
        this.clock = clock;
        this.directorUuid = directorUuid;
        clients.put(options.client(), new ClientGrant(options.clientSecret(), true));
    }

    void addClient(String client, String secret, boolean authorizedForDeployment) {
        clients.put(client, new ClientGrant(secret, authorizedForDeployment));
    }

    void expireTokens() {
        tokens.clear();
    }

    void rejectTokens(boolean reject) {
        this.rejectTokens = reject;
    }

    int tokensIssued() {
        return tokensIssued.get();
    }

    /** True unless the client is known and not authorized for the deployment. */
    boolean mayListDeployment(String client) {
        return clients.getOrDefault(client, new ClientGrant("", true)).authorizedForDeployment();
    }

    /** Answers {@code POST /uaa/oauth/token}; false when this director has no UAA (the route does not exist). */
    boolean token(HttpExchange exchange) throws IOException {
        if (options.auth() != Auth.UAA) {
            return false;
        }
        String body = new String(SimHttp.body(exchange), StandardCharsets.UTF_8);
        BasicCredentials credentials = SimHttp.basicCredentials(exchange);
        ClientGrant grant = credentials == null ? null : clients.get(credentials.user());
        if (grant == null || !grant.secret().equals(credentials.secret())) {
            SimHttp.sendJson(exchange, 401, SimHttp.JSON, JSON.createObjectNode().put("error", "unauthorized")
                    .put("error_description", "Bad credentials"));
            return true;
        }
        if (!SimHttp.form(body).getOrDefault("grant_type", "").equals("client_credentials")) {
            SimHttp.sendJson(exchange, 400, SimHttp.JSON, JSON.createObjectNode().put("error", "unsupported_grant_type")
                    .put("error_description", "only client_credentials is simulated"));
            return true;
        }
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        String value = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        tokens.put(value, new TokenGrant(credentials.user(), clock.instant().plus(options.tokenLifetime())));
        tokensIssued.incrementAndGet();
        ObjectNode out = JSON.createObjectNode();
        out.put("access_token", value);
        out.put("token_type", "bearer");
        out.put("expires_in", options.tokenLifetime().toSeconds());
        out.put("scope", "bosh.admin");
        out.put("jti", UUID.randomUUID().toString().replace("-", ""));
        SimHttp.sendJson(exchange, 200, SimHttp.JSON, out);
        return true;
    }

    /** The client id the request is authenticated as, or null. */
    String authenticate(HttpExchange exchange) {
        if (exchange.getRequestHeaders().getFirst("Authorization") == null) {
            return null;
        }
        if (options.auth() == Auth.UAA) {
            String token = SimHttp.bearerToken(exchange);
            if (token == null || rejectTokens) {
                return null;
            }
            TokenGrant grant = tokens.get(token);
            return grant == null || !clock.instant().isBefore(grant.expiresAt()) ? null : grant.client();
        }
        BasicCredentials credentials = SimHttp.basicCredentials(exchange);
        if (credentials == null) {
            return null;
        }
        ClientGrant grant = clients.get(credentials.user());
        return grant != null && grant.secret().equals(credentials.secret()) ? credentials.user() : null;
    }

    /** Throws the director's 600000 when the client may not touch the deployment. */
    void authorize(String client, String deploymentName) {
        ClientGrant grant = clients.get(client);
        if (grant != null && !grant.authorizedForDeployment()) {
            throw new DirectorError(401, 600000, "Require one of the scopes: bosh.admin, bosh." + directorUuid
                    + ".admin, bosh.teams.<team>.admin for deployment '" + deploymentName + "'");
        }
    }
}
