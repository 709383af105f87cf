package dev.cpr.sandbox.etcd;

import dev.cpr.contracts.inventory.MemberSpec;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Calls that must reach one member, not whichever the cluster's client picks: its database size and its
 * defragmentation. Each opens a client on that member alone, with the cluster's client certificate when it has one.
 */
final class EtcdMaintenance {

    private static final long STATUS_SECONDS = 10;
    private static final long DEFRAGMENT_SECONDS = 120;

    private final String clusterId;
    private final Function<String, ClientBuilder> builderOn;

    EtcdMaintenance(String clusterId, Function<String, ClientBuilder> builderOn) {
        this.clusterId = clusterId;
        this.builderOn = builderOn;
    }

    long dbSize(MemberSpec member) {
        return onMember(member, "status", STATUS_SECONDS,
                (client, target) -> client.getMaintenanceClient().statusMember(target)).getDbSize();
    }

    void defragment(MemberSpec member) {
        onMember(member, "defragment", DEFRAGMENT_SECONDS,
                (client, target) -> client.getMaintenanceClient().defragmentMember(target));
    }

    private interface MemberCall<T> {
        CompletableFuture<T> apply(Client client, String target);
    }

    private <T> T onMember(MemberSpec member, String what, long seconds, MemberCall<T> call) {
        ClientBuilder builder = builderOn.apply(member.clientUrl());
        try (Client client = builder.build()) {
            return call.apply(client, builder.target()).get(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + what + " of " + member.name(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(what + " of member " + member.name() + " of '" + clusterId + "' failed: "
                    + (e.getCause() != null ? e.getCause() : e), e);
        }
    }
}
