package dev.cpr.platform.replica;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StaticKafkaMembershipTest {

    private static final Map<String, Object> CONSUMER = Map.of("group.id", "restore-service",
            "key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");

    @Test
    void aConsumerOfAReplicaWithAStableIdJoinsAsAStaticMemberNamedAfterItsChannel() {
        var membership = new StaticKafkaMembership(Optional.of("restore-7f9c"));

        Map<String, Object> incidents = membership.withInstanceId("incidents", CONSUMER);
        Map<String, Object> approvals = membership.withInstanceId("approvals", CONSUMER);

        assertThat(incidents).containsEntry("group.instance.id", "restore-7f9c-incidents")
                .containsEntry("group.id", "restore-service");
        assertThat(approvals).as("a second channel in the same group needs an id of its own")
                .containsEntry("group.instance.id", "restore-7f9c-approvals");
    }

    @Test
    void withoutAStableIdAConsumerStaysADynamicMember() {
        var membership = new StaticKafkaMembership(Optional.empty());

        assertThat(membership.withInstanceId("incidents", CONSUMER)).doesNotContainKey("group.instance.id");
    }

    @Test
    void aProducerAndAChannelThatSetsItsOwnInstanceIdAreLeftAlone() {
        var membership = new StaticKafkaMembership(Optional.of("r1"));
        Map<String, Object> producer = Map.of("key.serializer", "x");
        Map<String, Object> pinned = Map.of("group.id", "g", "group.instance.id", "mine");

        assertThat(membership.withInstanceId("recoveries", producer)).isEqualTo(producer);
        assertThat(membership.withInstanceId("incidents", pinned)).containsEntry("group.instance.id", "mine");
    }
}
