package dev.cpr.platform.security.oidc;

import java.net.URI;

/**
 * What an OIDC provider publishes about itself at {@code {issuer}/.well-known/openid-configuration}: the parts cpr uses
 * to check its access tokens (the keys) and, in the console, to log a person in (the two endpoints of the code flow).
 */
public record OidcProvider(URI issuer, URI authorizationEndpoint, URI tokenEndpoint, URI jwksUri) {
}
