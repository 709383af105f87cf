package dev.cpr.backup.app;

import dev.cpr.contracts.etcd.EtcdVersion;
import dev.cpr.contracts.inventory.ClusterSpec;
import java.util.Optional;

/** The etcd version a cluster runs, asked of its members; empty when none answered. */
public interface EtcdVersions {

    Optional<EtcdVersion> read(ClusterSpec cluster);
}
