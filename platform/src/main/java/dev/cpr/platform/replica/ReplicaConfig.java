package dev.cpr.platform.replica;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;
import java.util.UUID;

/** {@code cpr.replica.*}: who this replica of a service is, for its leases and its static Kafka membership. */
@ConfigMapping(prefix = "cpr.replica")
public interface ReplicaConfig {

    /**
     * This replica's id (env CPR_REPLICA_ID); unset: the HOSTNAME env var (a Kubernetes pod's name, stable across the
     * pod's restarts). Keep it unique per replica and stable across its restarts.
     */
    Optional<String> id();

    /** The configured id, else HOSTNAME: an id that survives a restart, if there is one. */
    default Optional<String> stableId() {
        return id().filter(s -> !s.isBlank())
                .or(() -> Optional.ofNullable(System.getenv("HOSTNAME")).filter(s -> !s.isBlank()));
    }

    /** {@link #stableId()}, else a random id (a restart then comes back as another replica). */
    default String idOrRandom(String service) {
        return stableId().orElseGet(() -> service + "-" + UUID.randomUUID());
    }
}
