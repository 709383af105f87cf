package dev.cpr.platform.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cpr.contracts.events.EventCodec;
import dev.cpr.contracts.events.EventTypes;
import dev.cpr.contracts.events.MalformedEventException;
import dev.cpr.contracts.events.Topics;
import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.contracts.incident.IncidentOpened;
import dev.cpr.contracts.incident.IncidentResolved;
import io.smallrye.mutiny.Uni;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EventInboxTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-12-02T10:00:00Z"), ZoneOffset.UTC);
    private final EventCodec codec = new EventCodec("/cpr/health-monitor", clock);
    private final IncidentOpened opened = new IncidentOpened("inc-1", "prod-etcd", FailureKind.MEMBER_UNHEALTHY,
            List.of("etcd-2"), List.of(), "etcd-2 down", clock.instant(), clock.instant());
    private final List<String> handled = new ArrayList<>();
    private final List<MalformedEventException> refused = new ArrayList<>();

    private final EventInbox inbox = EventInbox.of(Topics.INCIDENTS, "restore-service")
            .onBlocking(EventTypes.INCIDENT_OPENED, IncidentOpened.class,
                    (incident, context) -> handled.add(incident.incidentId() + " " + context.tag()))
            .whenMalformed(refused::add)
            .build();

    @Test
    void anEventIsHandedToTheHandlerOfItsTypeWithClusterAndIncidentInTheContext() {
        inbox.accept(EventCodec.encode(codec.wrap("inc-1:opened", EventTypes.INCIDENT_OPENED, "prod-etcd", opened)));

        assertThat(handled).containsExactly("inc-1 [cluster=prod-etcd incident=inc-1 event=inc-1:opened]");
    }

    @Test
    void aRecordThatIsNotAnEventFailsAsMalformedAndTheNextRecordIsStillHandled() {
        assertThatThrownBy(() -> inbox.accept("not an event")).isInstanceOf(MalformedEventException.class);
        inbox.accept(EventCodec.encode(codec.wrap("inc-1:opened", EventTypes.INCIDENT_OPENED, "prod-etcd", opened)));

        assertThat(refused).hasSize(1);
        assertThat(handled).hasSize(1);
    }

    @Test
    void aPayloadThatDoesNotFitItsTypeIsMalformedAndNeverReachesTheHandler() {
        String noCluster = "{\"specversion\":\"1.0\",\"id\":\"e1\",\"source\":\"/x\",\"type\":\"" + EventTypes.INCIDENT_OPENED
                + "\",\"subject\":\"c\",\"data\":{\"incidentId\":\"i\",\"failure\":\"QUORUM_LOST\"}}";

        assertThatThrownBy(() -> inbox.accept(noCluster))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("clusterId is missing");
        assertThat(handled).isEmpty();
        assertThat(refused).hasSize(1);
    }

    @Test
    void aTypeWithNoHandlerIsSkippedWithoutFailing() {
        IncidentResolved resolved = new IncidentResolved("inc-1", "prod-etcd", FailureKind.MEMBER_UNHEALTHY, clock.instant(), clock.instant());

        inbox.accept(EventCodec.encode(codec.wrap(EventTypes.INCIDENT_RESOLVED, "prod-etcd", resolved)));

        assertThat(handled).isEmpty();
        assertThat(refused).isEmpty();
    }

    @Test
    void aHandlerFailingWhileTheDatabaseRestartsIsCalledAgainAndTheEventIsNotDeadLettered() {
        AtomicInteger calls = new AtomicInteger();
        EventInbox flaky = EventInbox.of(Topics.INCIDENTS, "restore-service")
                .onBlocking(EventTypes.INCIDENT_OPENED, IncidentOpened.class, (incident, context) -> {
                    if (calls.incrementAndGet() < 3) {
                        throw new IllegalStateException("Connection to 127.0.0.1:5432 refused");
                    }
                    handled.add(incident.incidentId());
                })
                .build();

        flaky.accept(EventCodec.encode(codec.wrap(EventTypes.INCIDENT_OPENED, "prod-etcd", opened)));

        assertThat(calls).hasValue(3);
        assertThat(handled).containsExactly("inc-1");
    }

    @Test
    void anAsynchronousHandlerFailingForAWhileIsCalledAgainUntilItSucceeds() {
        AtomicInteger calls = new AtomicInteger();
        EventInbox flaky = EventInbox.of(Topics.INCIDENTS, "notifier")
                .on(EventTypes.INCIDENT_OPENED, IncidentOpened.class, (incident, context) -> calls.incrementAndGet() < 3
                        ? Uni.createFrom().failure(new IllegalStateException("the underlying connection may have been lost"))
                        : Uni.createFrom().voidItem().invoke(() -> handled.add(incident.incidentId())))
                .build();

        flaky.deliver(EventCodec.encode(codec.wrap(EventTypes.INCIDENT_OPENED, "prod-etcd", opened)))
                .await().atMost(Duration.ofSeconds(10));

        assertThat(calls).hasValue(3);
        assertThat(handled).containsExactly("inc-1");
    }

    @Test
    void aHandlersFailureThatOutlastsTheRetryWindowFailsTheDeliverySoTheRecordIsDeadLettered() {
        AtomicInteger calls = new AtomicInteger();
        EventInbox failing = EventInbox.of(Topics.INCIDENTS, "notifier")
                .on(EventTypes.INCIDENT_OPENED, IncidentOpened.class, (incident, context) -> {
                    calls.incrementAndGet();
                    return Uni.createFrom().failure(new IllegalStateException("database down"));
                })
                .retryFor(Duration.ofMillis(500))
                .build();

        assertThatThrownBy(() -> failing.accept(EventCodec.encode(
                codec.wrap(EventTypes.INCIDENT_OPENED, "prod-etcd", opened))))
                .hasMessageContaining("database down");
        assertThat(calls.get()).as("calls within the window").isGreaterThan(1);
    }

    @Test
    void aMalformedPayloadIsRefusedAtOnceNotCalledAgain() {
        EventInbox patient = EventInbox.of(Topics.INCIDENTS, "restore-service")
                .onBlocking(EventTypes.INCIDENT_OPENED, IncidentOpened.class, (incident, context) -> handled.add("x"))
                .whenMalformed(refused::add)
                .build();
        String noCluster = "{\"specversion\":\"1.0\",\"id\":\"e1\",\"source\":\"/x\",\"type\":\"" + EventTypes.INCIDENT_OPENED
                + "\",\"subject\":\"c\",\"data\":{\"incidentId\":\"i\",\"failure\":\"QUORUM_LOST\"}}";
        long t0 = System.nanoTime();

        assertThatThrownBy(() -> patient.accept(noCluster)).isInstanceOf(MalformedEventException.class);

        assertThat(refused).hasSize(1);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("refused without waiting").isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void twoHandlersForOneTypeAreRefusedWhenTheInboxIsBuilt() {
        assertThatThrownBy(() -> EventInbox.of(Topics.INCIDENTS, "x")
                .onEvent(EventTypes.INCIDENT_OPENED, (event, context) -> Uni.createFrom().voidItem())
                .onEvent(EventTypes.INCIDENT_OPENED, (event, context) -> Uni.createFrom().voidItem()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
