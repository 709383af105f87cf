package dev.cpr.sandbox.kafka;

/**
 * The main class of the broker JVM that {@link KafkaBroker} starts (not an API): formats the storage
 * ({@code kafka-storage format}) and then runs the broker ({@code kafka-server-start}) in the same JVM,
 * which saves a second JVM's start-up. Runs with {@code target/kafka-libs} on its class path.
 *
 * <p>Arguments: {@code <cluster-id> <server.properties>}. With {@code -D}{@value #PARENT_PID}{@code =<pid>}
 * the broker shuts itself down when that process is gone (a test JVM that was killed leaves no broker).
 */
public final class KafkaMain {

    static final String PARENT_PID = "cpr.sandbox.parent-pid";

    private KafkaMain() {
    }

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: KafkaMain <cluster-id> <server.properties>");
            System.exit(2);
        }
        String parent = System.getProperty(PARENT_PID);
        if (parent != null) {
            watch(Long.parseLong(parent));
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

    private static void watch(long parentPid) {
        Thread watchdog = new Thread(() -> {
            while (ProcessHandle.of(parentPid).map(ProcessHandle::isAlive).orElse(false)) {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
            System.err.println("cpr sandbox: parent process " + parentPid + " is gone, shutting the broker down");
            System.exit(0);
        }, "cpr-sandbox-parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }
}
