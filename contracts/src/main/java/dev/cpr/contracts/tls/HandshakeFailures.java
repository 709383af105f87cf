package dev.cpr.contracts.tls;

import dev.cpr.contracts.inventory.TlsSpec;
import java.util.Locale;
import java.util.Optional;

/**
 * Says what a failed TLS handshake with a member means, in the inventory's terms: the member's certificate is not
 * signed by the configured CA, or the member refused the client certificate. Anything else is not a TLS failure
 * and is left to the caller's own wording.
 */
public final class HandshakeFailures {

    private HandshakeFailures() {
    }

    /** A one-line description naming the cluster, member and file, if {@code failure} is a TLS handshake failure. */
    public static Optional<String> describe(String clusterId, String member, TlsSpec tls, Throwable failure) {
        String where = "TLS of cluster " + clusterId + ", member " + member + ": ";
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            String text = (cause.getClass().getName() + " " + cause.getMessage()).toLowerCase(Locale.ROOT);
            if (text.contains("pkix path") || text.contains("certpathvalidator")
                    || text.contains("unable to find valid certification path")) {
                return Optional.of(where + "the member's certificate is not signed by the CA in "
                        + (tls == null ? "(no tls.ca-file)" : tls.caFile()) + " (wrong CA?)");
            }
            if (text.contains("bad_certificate") || text.contains("certificate_expired")
                    || text.contains("certificate_unknown") || text.contains("unknown_ca")
                    || text.contains("certificate_required")) {
                return Optional.of(where + "the member refused the client certificate "
                        + (tls == null || tls.certFile() == null ? "(none configured)" : tls.certFile())
                        + " (not signed by the member's CA, or expired)");
            }
            if (text.contains("sslhandshake") || text.contains("not an ssl/tls record")) {
                return Optional.of(where + "TLS handshake failed: " + cause.getMessage());
            }
        }
        return Optional.empty();
    }
}
