package dev.cpr.sandbox.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cpr.contracts.events.Topics;
import dev.cpr.sandbox.TestDirs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** A broker restarted in place, as the scenarios of a Kafka restart during a recovery need it. */
class KafkaBrokerRestartTest {

    private static final String GROUP = "restart-test";

    @Test
    void aBrokerStartedAgainKeepsItsPortsRecordsAndCommittedOffsets() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(TestDirs.fresh("kafka-restart"), true)) {
            // given one record read and committed by a group, and a second one not yet read
            produce(broker, "first");
            assertThat(readAndCommit(broker)).containsExactly("first");
            produce(broker, "second");
            String bootstrap = broker.bootstrapServers();
            long firstPid = broker.pid();

            // when the broker is stopped, keeping its data
            broker.stopKeepingData();

            // then it is down, and cannot be started twice
            assertThat(broker.isRunning()).isFalse();

            // and when it is started again
            broker.startAgain();

            // then it answers at the same address as a new process, and the group reads on from its committed offset
            assertThat(broker.bootstrapServers()).isEqualTo(bootstrap);
            assertThat(broker.pid()).isNotEqualTo(firstPid);
            assertThat(readAndCommit(broker)).containsExactly("second");
            assertThatThrownBy(broker::startAgain).hasMessageContaining("is running: stop it first");
        }
    }

    private static void produce(KafkaBroker broker, String value) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
            producer.send(new ProducerRecord<>(Topics.INCIDENTS, "restart", value)).get(10, TimeUnit.SECONDS);
        }
    }

    /** Whatever the group has not read yet, read for up to 20 s until something came and nothing more comes. */
    private static List<String> readAndCommit(KafkaBroker broker) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, GROUP,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class))) {
            consumer.subscribe(List.of(Topics.INCIDENTS));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            int emptyPollsAfterData = 0;
            while (System.nanoTime() < deadline && emptyPollsAfterData < 3) {
                var records = consumer.poll(Duration.ofMillis(500));
                records.forEach(r -> values.add(r.value()));
                emptyPollsAfterData = values.isEmpty() || !records.isEmpty() ? 0 : emptyPollsAfterData + 1;
            }
            consumer.commitSync();
        }
        return values;
    }
}
