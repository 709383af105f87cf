package dev.cpr.notifier.adapters.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cpr.notifier.app.SlackSignatures.Verdict;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Slack's request signing v0, with the example from Slack's documentation ("Verifying requests from Slack"). */
class SlackRequestVerifierTest {

    private static final String SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
    private static final String TIMESTAMP = "1531420618";
    private static final String BODY = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow"
            + "&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner"
            + "&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J"
            + "%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    private static final String SIGNATURE = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

    private static SlackRequestVerifier at(Instant now) {
        return new SlackRequestVerifier(SECRET, Clock.fixed(now, ZoneOffset.UTC), Duration.ofMinutes(5));
    }

    private static final Instant SENT = Instant.ofEpochSecond(1531420618);

    @Test
    void slacksDocumentedExampleIsValid() {
        assertThat(at(SENT.plusSeconds(30)).verify(TIMESTAMP, BODY, SIGNATURE)).isEqualTo(Verdict.VALID);
    }

    @Test
    void aChangedBodyIsABadSignature() {
        assertThat(at(SENT).verify(TIMESTAMP, BODY.replace("roadrunner", "coyote"), SIGNATURE))
                .isEqualTo(Verdict.BAD_SIGNATURE);
    }

    @Test
    void aSignatureMadeWithAnotherSecretIsBad() {
        SlackRequestVerifier other = new SlackRequestVerifier("another-secret", Clock.fixed(SENT, ZoneOffset.UTC),
                Duration.ofMinutes(5));

        assertThat(other.verify(TIMESTAMP, BODY, SIGNATURE)).isEqualTo(Verdict.BAD_SIGNATURE);
    }

    @Test
    void aTimestampOlderThanFiveMinutesIsStaleEvenWithAGoodSignature() {
        assertThat(at(SENT.plus(Duration.ofMinutes(5)).plusSeconds(1)).verify(TIMESTAMP, BODY, SIGNATURE))
                .isEqualTo(Verdict.STALE);
        assertThat(at(SENT.plus(Duration.ofMinutes(5))).verify(TIMESTAMP, BODY, SIGNATURE)).isEqualTo(Verdict.VALID);
    }

    @Test
    void aTimestampFarInTheFutureIsStaleToo() {
        assertThat(at(SENT.minus(Duration.ofMinutes(6))).verify(TIMESTAMP, BODY, SIGNATURE)).isEqualTo(Verdict.STALE);
    }

    @Test
    void missingHeadersAndANonNumericTimestampAreRefused() {
        SlackRequestVerifier verifier = at(SENT);

        assertThat(verifier.verify(null, BODY, SIGNATURE)).isEqualTo(Verdict.MISSING_HEADERS);
        assertThat(verifier.verify(TIMESTAMP, BODY, " ")).isEqualTo(Verdict.MISSING_HEADERS);
        assertThat(verifier.verify("yesterday", BODY, SIGNATURE)).isEqualTo(Verdict.BAD_TIMESTAMP);
    }

    @Test
    void aReplayedRequestStillVerifiesHereSoTheCallerMustRememberIt() {
        SlackRequestVerifier verifier = at(SENT.plusSeconds(10));

        assertThat(verifier.verify(TIMESTAMP, BODY, SIGNATURE)).isEqualTo(Verdict.VALID);
        assertThat(verifier.verify(TIMESTAMP, BODY, SIGNATURE)).isEqualTo(Verdict.VALID);
    }

    @Test
    void aBlankSecretIsAConfigurationError() {
        assertThatThrownBy(() -> new SlackRequestVerifier(" ", Clock.systemUTC(), Duration.ofMinutes(5)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
