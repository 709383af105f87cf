package dev.cpr.sandbox.kafka;

/**
 * The main class of the broker JVM that {@link KafkaBroker} starts (not an API): formats the storage
 * ({@code kafka-storage format}) and then runs the broker ({@code kafka-server-start}) in the same JVM,
 * which saves a second JVM's start-up. Runs with {@code target/kafka-libs} on its class path.
 *
 * <p>Arguments: {@code <cluster-id> <server.properties>}.
 */
public final class KafkaMain {

    private KafkaMain() {
    }

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: KafkaMain <cluster-id> <server.properties>");
            System.exit(2);
        }
        int formatted = kafka.tools.StorageTool.execute(
                new String[] {"format", "--cluster-id", args[0], "--config", args[1], "--ignore-formatted"},
                System.out);
        if (formatted != 0) {
            System.err.println("kafka storage format failed with exit code " + formatted);
            System.exit(formatted);
        }
        kafka.Kafka.main(new String[] {args[1]});
    }
}
