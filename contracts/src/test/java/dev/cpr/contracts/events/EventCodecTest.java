package dev.cpr.contracts.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cpr.contracts.incident.FailureKind;
import dev.cpr.contracts.incident.IncidentOpened;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.jackson.JsonCloudEventData;
import io.cloudevents.jackson.JsonFormat;
import java.net.URI;
import java.nio.charset.StandardCharsets;
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

    @Test
    void whatCprWritesIsReadByTheCloudEventsSdkWithTheSameAttributesAndData() {
        IncidentOpened opened = new IncidentOpened("inc-2", "prod-etcd", FailureKind.QUORUM_LOST,
                List.of("etcd-1", "etcd-2"), List.of(), "quorum lost", clock.instant(), clock.instant());

        String json = EventCodec.encode(codec.wrap("inc-2:opened", EventTypes.INCIDENT_OPENED, "prod-etcd", opened));
        io.cloudevents.CloudEvent read = new JsonFormat().deserialize(json.getBytes(StandardCharsets.UTF_8));

        assertThat(read.getId()).isEqualTo("inc-2:opened");
        assertThat(read.getSource()).isEqualTo(URI.create("/cpr/health-monitor"));
        assertThat(read.getType()).isEqualTo(EventTypes.INCIDENT_OPENED);
        assertThat(read.getSubject()).isEqualTo("prod-etcd");
        assertThat(read.getTime().toInstant()).isEqualTo(clock.instant());
        assertThat(read.getDataContentType()).isEqualTo("application/json");
        assertThat(read.getData()).isInstanceOf(JsonCloudEventData.class);
        assertThat(((JsonCloudEventData) read.getData()).getNode()).isEqualTo(EventCodec.tree(opened));
    }

    @Test
    void theJsonOnTheWireKeepsTheAttributesAndInlineDataItHadBeforeTheSdk() {
        String json = EventCodec.encode(codec.wrap("e-1", EventTypes.RECOVERY_UPDATED, "c-1", java.util.Map.of("planId", "p-1")));

        assertThat(parse(json).fieldNames()).toIterable()
                .containsExactlyInAnyOrder("specversion", "id", "source", "type", "subject", "time", "datacontenttype", "data");
        assertThat(parse(json).get("data").get("planId").asText()).isEqualTo("p-1");
    }

    @Test
    void anEventAnotherSdkProducerWroteIsDecoded() {
        io.cloudevents.CloudEvent written = CloudEventBuilder.v1()
                .withId("x-1").withSource(URI.create("/elsewhere")).withType(EventTypes.INCIDENT_RESOLVED)
                .withSubject("prod-etcd").withDataContentType("application/json")
                .withData("{\"incidentId\":\"inc-9\"}".getBytes(StandardCharsets.UTF_8)).build();

        CloudEvent read = EventCodec.decode(new String(new JsonFormat().serialize(written), StandardCharsets.UTF_8));

        assertThat(read.id()).isEqualTo("x-1");
        assertThat(read.subject()).isEqualTo("prod-etcd");
        assertThat(read.data().get("incidentId").asText()).isEqualTo("inc-9");
    }

    @Test
    void aTimeTheSdkCannotReadIsRefusedAsMalformedNamingTheEvent() {
        String json = "{\"specversion\":\"1.0\",\"id\":\"e7\",\"source\":\"/x\",\"type\":\"t\",\"subject\":\"c\","
                + "\"time\":\"yesterday\",\"data\":{}}";

        assertThatThrownBy(() -> EventCodec.decode(json))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("event e7 is not a valid CloudEvent");
    }

    private static com.fasterxml.jackson.databind.JsonNode parse(String json) {
        try {
            return EventCodec.mapper().readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }
}
