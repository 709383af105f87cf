package dev.cpr.healthmonitor.domain;

import dev.cpr.contracts.incident.MemberHealth;
import java.time.Instant;
import java.util.List;

/** {@link Polls} for tests in other packages. */
public final class PollsAccess {

    public record Classified(Classification classification, List<MemberHealth> members) {
    }

    private PollsAccess() {
    }

    /** Two of three members down. */
    public static Classified quorumLost(Instant at) {
        ClusterPoll poll = Polls.poll(3, at, "etcd-1", "etcd-2");
        return new Classified(new FailureClassifier().classify(poll),
                poll.members().stream().map(MemberObservation::toHealth).toList());
    }
}
