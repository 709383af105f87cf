package dev.cpr.platform.security.oidc;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Starts a {@link TestIssuer} before the application and configures it as the OIDC provider. */
public class TestIssuerResource implements QuarkusTestResourceLifecycleManager {

    static TestIssuer issuer;

    @Override
    public Map<String, String> start() {
        issuer = TestIssuer.start();
        return Map.of("cpr.auth.oidc.issuer", issuer.issuer().toString());
    }

    @Override
    public void stop() {
        if (issuer != null) {
            issuer.close();
        }
    }
}
