package dev.cpr.notifier.app;

import dev.cpr.contracts.approval.ApprovalDecided;
import dev.cpr.contracts.approval.ApprovalSignatures;
import dev.cpr.notifier.config.ServiceSettings;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.PrivateKey;
import org.jboss.logging.Logger;

/**
 * Signs the decisions the notifier publishes with its private key ({@code cpr.notifier.approval-signing-key}), so
 * restore-service can tell a verified Slack click from anything else written to {@code cpr.approvals}. A key that is
 * not a base64 PKCS#8 Ed25519 private key stops start-up, naming the setting.
 */
@ApplicationScoped
@Startup
public class ApprovalSigner {

    private static final Logger LOG = Logger.getLogger(ApprovalSigner.class);

    private final PrivateKey key;

    public ApprovalSigner(ServiceSettings settings) {
        this.key = settings.approvalSigningKey().filter(k -> !k.isBlank()).map(text -> {
            try {
                return ApprovalSignatures.privateKey(text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("cpr.notifier.approval-signing-key: " + e.getMessage());
            }
        }).orElse(null);
        if (key == null) {
            LOG.warn("no cpr.notifier.approval-signing-key: approvals from Slack are published unsigned and "
                    + "restore-service refuses them");
        }
    }

    /** The decision signed, or as it is when no key is configured. */
    public ApprovalDecided sign(ApprovalDecided decided) {
        return key == null ? decided : ApprovalSignatures.sign(decided, key);
    }
}
