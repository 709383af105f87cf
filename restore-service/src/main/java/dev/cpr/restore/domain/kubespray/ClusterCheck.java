package dev.cpr.restore.domain.kubespray;

import java.util.Optional;

/** Is the cluster whole again? {@link EtcdClusterCheck} asks etcd itself. */
@FunctionalInterface
public interface ClusterCheck {

    /** @return what is still wrong, or empty when every member is listed and healthy with one leader */
    Optional<String> problem() throws Exception;
}
