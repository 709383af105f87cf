package dev.cpr.sandbox.testing;

import dev.cpr.sandbox.kafka.KafkaBroker;
import dev.cpr.sandbox.support.Processes;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * One real Kafka broker (KRaft) per test JVM, with the {@code cpr.*} topics, started on first use and
 * stopped when the JVM exits (it takes a few seconds to start; every test class shares it).
 * Sets {@code kafka.bootstrap.servers}.
 */
public class KafkaResource implements QuarkusTestResourceLifecycleManager {

    public static final String BOOTSTRAP_SERVERS = "kafka.bootstrap.servers";

    private static KafkaBroker broker;

    /** The shared broker, started if it is not running yet. */
    public static synchronized KafkaBroker broker() {
        if (broker == null) {
            KafkaBroker started = KafkaBroker.start(SandboxDirs.dir("kafka"));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                started.close();
                Processes.deleteRecursively(started.dataDir());
            }, "cpr-sandbox-kafka-stop"));
            broker = started;
        }
        return broker;
    }

    /** {@code 127.0.0.1:PORT} of the shared broker (starting it if needed). */
    public static String bootstrapServers() {
        return broker().bootstrapServers();
    }

    @Override
    public Map<String, String> start() {
        return Map.of(BOOTSTRAP_SERVERS, bootstrapServers());
    }

    @Override
    public void stop() {
        // shared by every test class of this JVM; stopped by the shutdown hook
    }
}
