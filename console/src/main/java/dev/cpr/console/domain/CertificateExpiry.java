package dev.cpr.console.domain;

import java.time.Duration;
import java.time.Instant;

/**
 * When a member's TLS certificate ends, said the way an operator plans around it: {@code cert expires in 364 d},
 * {@code cert expires in 5 h}, {@code cert expired 2 d ago}. Whether that is soon enough to warn about is
 * health-monitor's call (its CERTIFICATE_EXPIRING window), not repeated here.
 */
public final class CertificateExpiry {

    private CertificateExpiry() {
    }

    /** Null when the end is not known (a plain-HTTP member, or not read yet). */
    public static String describe(Instant notAfter, Instant now) {
        if (notAfter == null) {
            return null;
        }
        Duration left = Duration.between(now, notAfter);
        return left.isNegative() ? "cert expired " + span(left.negated()) + " ago" : "cert expires in " + span(left);
    }

    // whole days while there are any (a certificate is renewed days ahead); hours, then minutes, on the last day
    private static String span(Duration d) {
        if (d.toDays() > 0) {
            return d.toDays() + " d";
        }
        if (d.toHours() > 0) {
            return d.toHours() + " h";
        }
        return d.toMinutes() + " min";
    }
}
