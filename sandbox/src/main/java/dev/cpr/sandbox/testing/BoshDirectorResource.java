package dev.cpr.sandbox.testing;

import dev.cpr.contracts.inventory.BoshSpec;
import dev.cpr.contracts.inventory.ClusterKind;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.Inventory;
import dev.cpr.contracts.inventory.InventoryLoader;
import dev.cpr.sandbox.bosh.BoshDirectorSimulator;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The BOSH director simulator over {@link EtcdResource}'s real cluster, for the Quarkus app under test. Use it
 * together with (after) {@link EtcdResource}:
 * <pre>
 * &#64;WithTestResource(EtcdResource.class)
 * &#64;WithTestResource(BoshDirectorResource.class)
 * </pre>
 * It <b>rewrites EtcdResource's inventory in place</b> (same file, same {@code cpr.inventory.path}): the cluster
 * becomes {@code kind: bosh} with a {@code bosh:} section pointing at the simulator (director URL, deployment,
 * instance group {@code master}, client and secret, and {@code director:} host / user {@code bbr} / private key
 * for {@code bbr director}). The members keep their {@code access: local}, so the etcd probe and local node
 * access work as before; master index i is member {@code etcd-(i+1)}.
 *
 * <p>Config it sets: {@code cpr.inventory.path} (the same file), {@code cpr.sandbox.bosh.director-url},
 * {@code cpr.sandbox.bosh.deployment}, {@code cpr.sandbox.bosh.description} (a JSON
 * {@link dev.cpr.sandbox.bosh.BoshSimulatorDescription}). Init args: {@code deployment} (default the seeds'
 * {@code service-instance_56c19cfc-d5d7-4e11-aee2-78c81f4e7ad4}). Static {@link #director()} gives the running
 * simulator (faults: {@code failJob}, {@code deleteVm}, {@code unresponsiveAgent}, {@code directorDown} ...).
 * {@link #order()} is 100 so that it starts after EtcdResource (order 0).
 */
public class BoshDirectorResource implements QuarkusTestResourceLifecycleManager {

    public static final String DEFAULT_DEPLOYMENT = "service-instance_56c19cfc-d5d7-4e11-aee2-78c81f4e7ad4";

    private static volatile BoshDirectorSimulator current;

    private String deployment = DEFAULT_DEPLOYMENT;
    private BoshDirectorSimulator simulator;

    /** The simulator of the running app under test. */
    public static BoshDirectorSimulator director() {
        BoshDirectorSimulator s = current;
        if (s == null) {
            throw new IllegalStateException("no BOSH director simulator is running: annotate the test class with "
                    + "@WithTestResource(EtcdResource.class) and @WithTestResource(BoshDirectorResource.class)");
        }
        return s;
    }

    @Override
    public void init(Map<String, String> args) {
        deployment = args.getOrDefault("deployment", deployment);
    }

    @Override
    public int order() {
        return 100;
    }

    @Override
    public Map<String, String> start() {
        Path inventoryPath = EtcdResource.inventoryPath();
        simulator = BoshDirectorSimulator.start(EtcdResource.cluster(), deployment,
                inventoryPath.resolveSibling("bosh-director"));
        current = simulator;
        Inventory inventory = InventoryLoader.load(inventoryPath);
        BoshSpec bosh = new BoshSpec(simulator.url(), deployment, "master", simulator.options().client(),
                simulator.options().clientSecret(), null, null,
                new BoshSpec.DirectorSsh(simulator.bbrHost(), "bbr", simulator.bbrPrivateKey().toString()));
        Inventory rewritten = new Inventory(inventory.clusters().stream()
                .map(c -> new ClusterSpec(c.id(), ClusterKind.BOSH, c.initialClusterToken(), c.tls(), c.members(),
                        c.policy(), bosh, c.backup()))
                .toList());
        try {
            InventoryLoader.write(rewritten, inventoryPath);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rewrite the inventory " + inventoryPath, e);
        }
        InventoryLoader.load(inventoryPath); // fail here, not in the app, if the rewritten inventory is invalid
        Path description = simulator.description().write(inventoryPath.resolveSibling("bosh-director.json"));
        Map<String, String> config = new HashMap<>();
        config.put(EtcdResource.INVENTORY_PATH, inventoryPath.toString());
        config.put("cpr.sandbox.bosh.director-url", simulator.url());
        config.put("cpr.sandbox.bosh.deployment", deployment);
        config.put("cpr.sandbox.bosh.description", description.toString());
        return config;
    }

    @Override
    public void stop() {
        if (simulator != null) {
            try {
                simulator.close();
            } finally {
                if (current == simulator) {
                    current = null;
                }
                simulator = null;
            }
        }
    }
}
