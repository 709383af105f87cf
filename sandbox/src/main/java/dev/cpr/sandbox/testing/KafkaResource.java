package dev.cpr.sandbox.testing;

import dev.cpr.sandbox.kafka.KafkaBroker;
import dev.cpr.sandbox.support.Processes;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One real Kafka broker (KRaft) per test JVM, with the {@code cpr.*} topics, started on first use and
 * stopped when the JVM exits (it takes a few seconds to start; every test class shares it).
 * Sets {@code kafka.bootstrap.servers}.
 *
 * <p>The broker starts in the background as soon as Quarkus initialises the resource, so it comes up
 * while the other resources (PostgreSQL, etcd) start too.
 */
public class KafkaResource implements QuarkusTestResourceLifecycleManager {

    public static final String BOOTSTRAP_SERVERS = "kafka.bootstrap.servers";

    private static CompletableFuture<KafkaBroker> broker;

    /** The shared broker, started if it is not running yet. */
    public static KafkaBroker broker() {
        try {
            return starting().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : e;
        }
    }

    /** {@code 127.0.0.1:PORT} of the shared broker (starting it if needed). */
    public static String bootstrapServers() {
        return broker().bootstrapServers();
    }

    private static synchronized CompletableFuture<KafkaBroker> starting() {
        if (broker == null || broker.isCompletedExceptionally()) {
            broker = CompletableFuture.supplyAsync(() -> {
                KafkaBroker started = KafkaBroker.start(SandboxDirs.dir("kafka"), true);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    started.close();
                    Processes.deleteRecursively(started.dataDir());
                }, "cpr-sandbox-kafka-stop"));
                return started;
            });
        }
        return broker;
    }

    @Override
    public void init(Map<String, String> initArgs) {
        starting();
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
