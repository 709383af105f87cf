package dev.cpr.backup.it;

import dev.cpr.sandbox.testing.KafkaResource;
import dev.cpr.sandbox.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;

/**
 * The real world every {@code @QuarkusTest} of this module runs against (declared once, not restricted to a class,
 * so the app starts once): a 3-member etcd cluster {@code sandbox} and a v2-enabled {@code legacy} one ({@link BackupWorld}), a Kafka broker, PostgreSQL.
 */
@QuarkusTestResource(BackupWorld.class)
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
public final class SandboxWorld {

    private SandboxWorld() {
    }
}
