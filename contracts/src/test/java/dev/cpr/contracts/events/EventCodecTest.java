package dev.cpr.contracts.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.contracts.incident.IncidentOpened;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventCodecTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-21T06:00:00Z"), ZoneOffset.UTC);
    private final EventCodec codec = new EventCodec("/cpr/health-monitor", clock);

    @Test
    void anIncidentSurvivesTheRoundTripAsAStructuredCloudEvent() {
        IncidentOpened opened = new IncidentOpened("inc-1", "prod-etcd", FailureKind.MEMBER_UNHEALTHY,
                List.of("etcd-2"), List.of(), "etcd-2 down", clock.instant(), clock.instant());

        String json = EventCodec.encode(codec.wrap(EventTypes.INCIDENT_OPENED, "prod-etcd", opened));
        CloudEvent back = EventCodec.decode(json);

        assertThat(json).contains("\"specversion\":\"1.0\"").contains("\"time\":\"2026-11-21T06:00:00Z\"");
        assertThat(back.type()).isEqualTo(EventTypes.INCIDENT_OPENED);
        assertThat(back.subject()).isEqualTo("prod-etcd");
        assertThat(EventCodec.data(back, IncidentOpened.class)).isEqualTo(opened);
    }

    @Test
    void aRecordThatIsNotJsonIsRefusedAsMalformed() {
        assertThatThrownBy(() -> EventCodec.decode("this is not json"))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("not a CloudEvents JSON object");
    }

    @Test
    void aMissingAttributeIsNamed() {
        String noType = "{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/x\",\"subject\":\"c\",\"data\":{}}";

        assertThatThrownBy(() -> EventCodec.decode(noType))
                .isInstanceOf(MalformedEventException.class)
                .hasMessage("CloudEvents attribute 'type' is missing");
    }

    @Test
    void aPayloadMissingARequiredFieldIsRefusedWithTheFieldNamed() {
        String json = "{\"specversion\":\"1.0\",\"id\":\"e1\",\"source\":\"/x\",\"type\":\"" + EventTypes.INCIDENT_OPENED
                + "\",\"subject\":\"c\",\"data\":{\"incidentId\":\"i\",\"failure\":\"QUORUM_LOST\"}}";
        CloudEvent event = EventCodec.decode(json);

        assertThatThrownBy(() -> EventCodec.data(event, IncidentOpened.class))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("clusterId is missing");
    }

    @Test
    void anUnknownFailureKindIsRefused() {
        String json = "{\"specversion\":\"1.0\",\"id\":\"e1\",\"source\":\"/x\",\"type\":\"t\",\"subject\":\"c\","
                + "\"data\":{\"incidentId\":\"i\",\"clusterId\":\"c\",\"failure\":\"ON_FIRE\"}}";

        assertThatThrownBy(() -> EventCodec.data(EventCodec.decode(json), IncidentOpened.class))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("ON_FIRE");
    }
}
