package dev.cpr.sandbox.demo.launcher;

import dev.cpr.sandbox.SandboxDescription;
import dev.cpr.sandbox.oidc.KeycloakServer;
import dev.cpr.sandbox.prometheus.PrometheusServer;
import java.util.Map;

/**
 * What {@code ./cpr up} writes to {@code .cpr/sandbox.json}: every endpoint, pid and data dir, so an
 * operator (or {@code ./cpr down}) can find each part of the running world.
 *
 * @param launcherPid the JVM that holds the world together (PostgreSQL lives and dies with it)
 * @param tokens      bearer tokens for the services' REST APIs, one per role
 * @param pks         the PKS cluster: its director simulator (URL, client, bbr host and key) and its members
 * @param prometheus  the sandbox's Prometheus (URL with /api/v1/alerts, pid, generated config)
 * @param sso         the OIDC provider (Keycloak: issuer, pid, log), when the world was started with SSO; else null
 */
public record WorldDescription(
        long launcherPid,
        String baseDir,
        SandboxDescription sandbox,
        String slackApiUrl,
        Map<String, Service> services,
        ApiTokens tokens,
        PksCluster.Description pks,
        PrometheusServer.Description prometheus,
        KeycloakServer.Description sso) {

    public record Service(String url, Long pid, String log) {
    }
}
