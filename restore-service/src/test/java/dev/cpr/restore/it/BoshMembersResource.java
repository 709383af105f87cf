package dev.cpr.restore.it;

import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.Inventory;
import dev.cpr.contracts.inventory.InventoryLoader;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.contracts.inventory.NodeAccess;
import dev.cpr.sandbox.bosh.BoshDirectorSimulator;
import dev.cpr.sandbox.bosh.InstanceRecord;
import dev.cpr.sandbox.testing.BoshDirectorResource;
import dev.cpr.sandbox.testing.EtcdResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * After {@link BoshDirectorResource} (which makes the cluster {@code kind: bosh} but keeps {@code access: local}),
 * gives every member the inventory shape of a real PKS master: {@code access: {type: bosh, deployment, instance:
 * master/<uuid>}}, the instance the simulator runs it on. The data dir stays the member's own: with
 * {@code cpr.restore.bosh.vm-shell=local} it is the VM's persistent disk. Order 200: after both others.
 */
public class BoshMembersResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public int order() {
        return 200;
    }

    @Override
    public Map<String, String> start() {
        Path path = EtcdResource.inventoryPath();
        BoshDirectorSimulator director = BoshDirectorResource.director();
        Inventory inventory = InventoryLoader.load(path);
        Inventory rewritten = new Inventory(inventory.clusters().stream().map(c -> new ClusterSpec(c.id(), c.kind(),
                c.initialClusterToken(), c.tls(), c.members().stream().map(m -> onInstance(m, director)).toList(),
                c.policy(), c.bosh(), c.backup())).toList());
        try {
            InventoryLoader.write(rewritten, path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rewrite " + path, e);
        }
        InventoryLoader.load(path);
        return Map.of(
                EtcdResource.INVENTORY_PATH, path.toString(),
                "cpr.restore.bosh.vm-shell", "local",
                "cpr.restore.bosh.task-poll-interval", "50ms",
                "cpr.restore.bosh.vm-timeout", "30s");
    }

    private static MemberSpec onInstance(MemberSpec member, BoshDirectorSimulator director) {
        InstanceRecord instance = director.instance(member.name());
        return new MemberSpec(member.name(), member.clientUrl(), member.peerUrl(), member.dataDir(),
                new NodeAccess(NodeAccess.Type.BOSH, null, null, null, null, null, null, director.deployment(),
                        instance.group() + "/" + instance.id()));
    }

    @Override
    public void stop() {
        // the inventory file goes with EtcdResource's cluster
    }
}
