package dev.cpr.contracts.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cpr.contracts.events.EventCodec;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApprovalSignaturesTest {

    private static final KeyPair NOTIFIER = ApprovalSignatures.generate();
    private static final KeyPair SOMEONE_ELSE = ApprovalSignatures.generate();

    private static ApprovalDecided approval() {
        return new ApprovalDecided("plan-1", "sandbox", Decision.APPROVED, "U0CPRAPPROVER", ApprovalChannel.SLACK,
                "clicked Approve", Instant.parse("2026-12-02T08:00:00Z"), "approval-1", "sha256:abc", null);
    }

    @Test
    void aDecisionSignedWithATrustedKeyVerifies() {
        ApprovalDecided signed = ApprovalSignatures.sign(approval(), NOTIFIER.getPrivate());

        assertThat(ApprovalSignatures.verify(signed, List.of(SOMEONE_ELSE.getPublic(), NOTIFIER.getPublic()))).isTrue();
    }

    @Test
    void anUnsignedOneAWrongKeyAndEveryTamperedSignedFieldAreRefused() {
        ApprovalDecided signed = ApprovalSignatures.sign(approval(), NOTIFIER.getPrivate());
        List<java.security.PublicKey> trusted = List.of(NOTIFIER.getPublic());

        assertThat(ApprovalSignatures.verify(approval(), trusted)).isFalse();
        assertThat(ApprovalSignatures.verify(ApprovalSignatures.sign(approval(), SOMEONE_ELSE.getPrivate()), trusted))
                .isFalse();
        assertThat(ApprovalSignatures.verify(signed.signed("not base64 !"), trusted)).isFalse();
        assertThat(List.of(
                new ApprovalDecided("plan-2", "sandbox", Decision.APPROVED, "U0CPRAPPROVER", ApprovalChannel.SLACK,
                        null, signed.decidedAt(), "approval-1", "sha256:abc", signed.signature()),
                new ApprovalDecided("plan-1", "sandbox", Decision.APPROVED, "U0MALLORY", ApprovalChannel.SLACK,
                        null, signed.decidedAt(), "approval-1", "sha256:abc", signed.signature()),
                new ApprovalDecided("plan-1", "sandbox", Decision.APPROVED, "U0CPRAPPROVER", ApprovalChannel.SLACK,
                        null, signed.decidedAt(), "approval-1", "sha256:def", signed.signature()),
                new ApprovalDecided("plan-1", "sandbox", Decision.APPROVED, "U0CPRAPPROVER", ApprovalChannel.SLACK,
                        null, Instant.now(), "approval-1", "sha256:abc", signed.signature())))
                .allSatisfy(tampered -> assertThat(ApprovalSignatures.verify(tampered, trusted)).isFalse());
    }

    @Test
    void keysRoundTripAsBase64AndGarbageIsNamed() {
        String publicKey = ApprovalSignatures.encode(NOTIFIER.getPublic());
        String privateKey = ApprovalSignatures.encode(NOTIFIER.getPrivate());
        ApprovalDecided signed = ApprovalSignatures.sign(approval(), ApprovalSignatures.privateKey(privateKey));

        assertThat(ApprovalSignatures.verify(signed, List.of(ApprovalSignatures.publicKey(publicKey)))).isTrue();
        assertThatThrownBy(() -> ApprovalSignatures.publicKey("bm90IGEga2V5"))
                .hasMessageContaining("not a base64 X.509 Ed25519 public key");
        assertThatThrownBy(() -> ApprovalSignatures.privateKey(publicKey))
                .hasMessageContaining("not a base64 PKCS#8 Ed25519 private key");
    }

    @Test
    void aSignedDecisionSurvivesTheEventCodec() {
        ApprovalDecided signed = ApprovalSignatures.sign(approval(), NOTIFIER.getPrivate());
        String json = EventCodec.encode(new EventCodec("/cpr/notifier", Clock.systemUTC())
                .wrap("dev.cpr.approval.decided", "sandbox", signed));

        ApprovalDecided read = EventCodec.data(EventCodec.decode(json), ApprovalDecided.class);

        assertThat(read).isEqualTo(signed);
        assertThat(ApprovalSignatures.verify(read, List.of(NOTIFIER.getPublic()))).isTrue();
    }
}
