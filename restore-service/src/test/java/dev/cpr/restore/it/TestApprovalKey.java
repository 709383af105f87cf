package dev.cpr.restore.it;

import dev.cpr.contracts.approval.ApprovalDecided;
import dev.cpr.contracts.approval.ApprovalSignatures;
import dev.cpr.contracts.events.EventCodec;
import dev.cpr.contracts.events.EventTypes;
import java.security.PrivateKey;
import java.time.Clock;

/**
 * The notifier's part in the tests: the private half of the key pair whose public half the test profile trusts
 * ({@code %test.cpr.restore.approval.trusted-keys}). Made for these tests only; it protects nothing.
 */
final class TestApprovalKey {

    static final PrivateKey NOTIFIER = ApprovalSignatures.privateKey(
            "MC4CAQAwBQYDK2VwBCIEIFIgtkmrey8w92BrqdvUur7C/pbdf8iQ+pRucQ28umwa");
    private static final EventCodec CODEC = new EventCodec("/cpr/notifier", Clock.systemUTC());

    private TestApprovalKey() {
    }

    static ApprovalDecided signed(ApprovalDecided decided) {
        return ApprovalSignatures.sign(decided, NOTIFIER);
    }

    /** The record as it goes on {@code cpr.approvals}. */
    static String event(ApprovalDecided decided) {
        return EventCodec.encode(CODEC.wrap(EventTypes.APPROVAL_DECIDED, decided.clusterId(), decided));
    }
}
