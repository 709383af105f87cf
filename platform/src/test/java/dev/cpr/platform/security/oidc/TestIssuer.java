package dev.cpr.platform.security.oidc;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jose4j.json.JsonUtil;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;

/**
 * An OIDC issuer for the platform's own tests: its discovery document and key set on a loopback port, and tokens
 * signed with its key. The end-to-end tests use a real provider (Keycloak); this one lets a unit test sign exactly the
 * token it needs (expired, for another audience, signed by a stranger).
 */
final class TestIssuer implements AutoCloseable {

    private final HttpServer server;
    private final RsaJsonWebKey key;
    private final AtomicInteger keySetReads = new AtomicInteger();
    private volatile String publishedIssuer;

    private TestIssuer(HttpServer server, RsaJsonWebKey key) {
        this.server = server;
        this.key = key;
    }

    static TestIssuer start() {
        try {
            RsaJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
            key.setKeyId("test-key-1");
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            TestIssuer issuer = new TestIssuer(server, key);
            issuer.publishedIssuer = issuer.issuer().toString();
            server.createContext("/realms/cpr/.well-known/openid-configuration", exchange -> {
                byte[] body = JsonUtil.toJson(Map.of("issuer", issuer.publishedIssuer,
                        "authorization_endpoint", issuer.issuer() + "/auth",
                        "token_endpoint", issuer.issuer() + "/token",
                        "jwks_uri", issuer.issuer() + "/certs")).getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.createContext("/realms/cpr/certs", exchange -> {
                issuer.keySetReads.incrementAndGet();
                byte[] body = new JsonWebKeySet(key).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY)
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return issuer;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    URI issuer() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/realms/cpr");
    }

    /** Makes the discovery document name another issuer, as a misconfigured provider or proxy would. */
    void publishIssuer(String other) {
        publishedIssuer = other;
    }

    int keySetReads() {
        return keySetReads.get();
    }

    /** A token for {@code username} with {@code roles}, valid for five minutes, for audience {@code cpr}. */
    String token(String username, List<String> roles) {
        return token(claims -> {
            claims.setStringClaim("preferred_username", username);
            claims.setStringListClaim("roles", roles);
        });
    }

    /** A valid token's claims, then {@code change} applied to them, signed with this issuer's key. */
    String token(Consumer<JwtClaims> change) {
        return sign(change, key);
    }

    /** The same claims signed with a key this issuer never published. */
    String tokenSignedByAStranger(String username, List<String> roles) {
        try {
            RsaJsonWebKey stranger = RsaJwkGenerator.generateJwk(2048);
            stranger.setKeyId(key.getKeyId());
            return sign(claims -> {
                claims.setStringClaim("preferred_username", username);
                claims.setStringListClaim("roles", roles);
            }, stranger);
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    private String sign(Consumer<JwtClaims> change, RsaJsonWebKey signingKey) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer().toString());
        claims.setAudience("cpr");
        claims.setSubject("3f1c9a52-user");
        claims.setIssuedAtToNow();
        claims.setExpirationTimeMinutesInTheFuture(5);
        change.accept(claims);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(signingKey.getPrivateKey());
        jws.setKeyIdHeaderValue(signingKey.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
