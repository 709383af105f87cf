package dev.cpr.console.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CertificateExpiryTest {

    private static final Instant NOW = Instant.parse("2026-12-03T08:00:00Z");

    @Test
    void aYearLongCertificateSaysItsWholeDaysLeft() {
        assertThat(CertificateExpiry.describe(NOW.plus(Duration.ofDays(364)).plusSeconds(3600), NOW))
                .isEqualTo("cert expires in 364 d");
    }

    @Test
    void onItsLastDayItCountsHoursThenMinutes() {
        assertThat(CertificateExpiry.describe(NOW.plus(Duration.ofHours(5).plusMinutes(10)), NOW))
                .isEqualTo("cert expires in 5 h");
        assertThat(CertificateExpiry.describe(NOW.plus(Duration.ofMinutes(42)), NOW))
                .isEqualTo("cert expires in 42 min");
    }

    @Test
    void anEndedCertificateSaysHowLongAgo() {
        assertThat(CertificateExpiry.describe(NOW.minus(Duration.ofDays(2)), NOW)).isEqualTo("cert expired 2 d ago");
    }

    @Test
    void aPlainHttpMemberHasNothingToSay() {
        assertThat(CertificateExpiry.describe(null, NOW)).isNull();
    }

    @Test
    void theWarningIsHealthMonitorsVerdictNotTheConsoles() {
        // given: a certificate 10 days from its end, which health-monitor judged inside its window
        Member member = new Member("etcd-1", "https://127.0.0.1:2379", true, null, true, 10L, 5L, 100L, 100L,
                NOW.plus(Duration.ofDays(10)), true);
        Member plain = new Member("etcd-2", "http://127.0.0.1:2379", true, null, false, 10L, 5L, 100L, 100L, null,
                null);
        // then
        assertThat(member.certificateWarning()).isTrue();
        assertThat(member.certificate(NOW)).isEqualTo("cert expires in 10 d");
        assertThat(plain.certificateWarning()).isFalse();
        assertThat(plain.certificate(NOW)).isNull();
    }
}
