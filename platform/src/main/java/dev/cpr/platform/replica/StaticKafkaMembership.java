package dev.cpr.platform.replica;

import io.smallrye.reactive.messaging.ClientCustomizer;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * Static Kafka group membership for every consumer channel: {@code group.instance.id} is
 * {@code <replica id>-<channel>} (two channels of one service may share a group, and a group's instance ids must
 * differ). A replica restarted within the channel's {@code session.timeout.ms} gets its partitions back without a
 * rebalance of the others. Only with a stable replica id ({@code cpr.replica.id} or HOSTNAME): a random one would
 * come back as a stranger and leave the old member's partitions idle until its session expired. A channel that sets
 * {@code group.instance.id} itself keeps it.
 * <p>
 * A service without Kafka messaging (the console) must exclude this bean
 * ({@code quarkus.arc.exclude-types=dev.cpr.platform.replica.StaticKafkaMembership}): its interface is not on that
 * service's classpath.
 */
@ApplicationScoped
@Unremovable // looked up by the Kafka connector, never injected: ArC would drop it as unused
public class StaticKafkaMembership implements ClientCustomizer<Map<String, Object>> {

    static final String GROUP_INSTANCE_ID = "group.instance.id";
    private static final Logger LOG = Logger.getLogger(StaticKafkaMembership.class);

    private final Optional<String> replica;

    @Inject // two constructors: without it ArC makes no bean of this class, and nothing customizes the channels
    public StaticKafkaMembership(ReplicaConfig config) {
        this(config.stableId());
    }

    StaticKafkaMembership(Optional<String> replica) {
        this.replica = replica;
    }

    @Override
    public Map<String, Object> customize(String channel, Config channelConfig, Map<String, Object> config) {
        return withInstanceId(channel, config);
    }

    Map<String, Object> withInstanceId(String channel, Map<String, Object> config) {
        boolean consumer = config.containsKey("group.id");
        if (!consumer || replica.isEmpty() || config.containsKey(GROUP_INSTANCE_ID)) {
            return config;
        }
        Map<String, Object> customized = new HashMap<>(config);
        customized.put(GROUP_INSTANCE_ID, replica.get() + "-" + channel);
        LOG.infof("channel=%s static group membership as %s", channel, customized.get(GROUP_INSTANCE_ID));
        return customized;
    }
}
