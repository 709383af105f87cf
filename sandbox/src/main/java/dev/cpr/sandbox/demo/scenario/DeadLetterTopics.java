package dev.cpr.sandbox.demo.scenario;

import dev.cpr.contracts.events.Topics;
import dev.cpr.sandbox.demo.launcher.World;
import dev.cpr.sandbox.kafka.KafkaBroker;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** Every consumer's dead-letter topic: where an event a service gave up on would be. */
public final class DeadLetterTopics {

    private DeadLetterTopics() {
    }

    /** Every consumer's dead-letter topics, created now if no record went to them yet, so they can be watched. */
    public static List<String> created(World world) throws Exception {
        List<String> topics = List.of(
                Topics.deadLetter(Topics.INCIDENTS, "restore-service"), Topics.deadLetter(Topics.INCIDENTS, "notifier"),
                Topics.deadLetter(Topics.INCIDENTS, "backup-service"), Topics.deadLetter(Topics.RECOVERIES, "notifier"),
                Topics.deadLetter(Topics.APPROVALS, "restore-service"), Topics.deadLetter(Topics.BACKUPS, "notifier"));
        try (Admin admin = world.sandbox().kafka().admin()) {
            for (String topic : topics) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic, KafkaBroker.PARTITIONS, (short) 1))).all()
                            .get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
        return topics;
    }
}
