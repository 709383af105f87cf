package dev.cpr.sandbox.oidc;

import java.util.List;

/**
 * What the sandbox's realm file ({@code keycloak/cpr-realm.json}, imported by {@link KeycloakServer}) defines, for
 * the code that logs in with it. Sandbox values only, written here in the open on purpose:
 *
 * <ul>
 *   <li>realm {@code cpr}, realm roles {@code viewer}, {@code operator}, {@code admin};</li>
 *   <li>users {@code reader} / {@code reader-pw-2026} (viewer), {@code oncall} / {@code oncall-pw-2026} (operator),
 *       {@code lead} / {@code lead-pw-2026} (admin), each enabled with a verified e-mail and a full name, so a
 *       browser login goes straight through without an "update profile" page;</li>
 *   <li>client {@code cpr-console}, confidential, secret {@code cpr-sandbox-console-secret}: authorization code flow
 *       (PKCE accepted) with redirects to any loopback port, and the password grant for tests and the CLI.</li>
 * </ul>
 *
 * <p>Its access tokens carry {@code roles} (the user's realm roles, a string array), {@code aud} {@code cpr} and
 * {@code preferred_username}, from mappers on the client, so cpr reads roles from one top-level claim.
 */
public final class CprRealm {

    public static final String RESOURCE = "/keycloak/cpr-realm.json";
    public static final String NAME = "cpr";
    public static final String CLIENT_ID = "cpr-console";
    public static final String CLIENT_SECRET = "cpr-sandbox-console-secret";
    public static final String AUDIENCE = "cpr";

    /** A user of the realm with its password and its one realm role. */
    public record Login(String username, String password, String role) {
    }

    public static final Login READER = new Login("reader", "reader-pw-2026", "viewer");
    public static final Login ONCALL = new Login("oncall", "oncall-pw-2026", "operator");
    public static final Login LEAD = new Login("lead", "lead-pw-2026", "admin");
    public static final List<Login> LOGINS = List.of(READER, ONCALL, LEAD);

    private CprRealm() {
    }
}
