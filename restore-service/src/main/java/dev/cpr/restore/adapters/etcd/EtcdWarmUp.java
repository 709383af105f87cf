package dev.cpr.restore.adapters.etcd;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.Inventory;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.restore.domain.etcd.EtcdAdmin;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Opens the gRPC channel to every inventory member in the background at start-up, so the first plan does
 * not pay about a second of client initialisation in its first step.
 */
@ApplicationScoped
public class EtcdWarmUp {

    private static final Logger LOG = Logger.getLogger(EtcdWarmUp.class);

    void onStart(@Observes StartupEvent event, Inventory inventory, EtcdAdmin etcd) {
        Thread warmUp = new Thread(() -> {
            for (ClusterSpec cluster : inventory.clusters()) {
                for (MemberSpec member : cluster.members()) {
                    boolean answered = etcd.status(member.clientUrl()).isPresent();
                    LOG.debugf("[cluster=%s] %s %s", cluster.id(), member.name(), answered ? "answers" : "does not answer");
                }
            }
        }, "cpr-etcd-warm-up");
        warmUp.setDaemon(true);
        warmUp.start();
    }
}
