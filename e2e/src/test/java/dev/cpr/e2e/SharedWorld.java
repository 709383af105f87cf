package dev.cpr.e2e;

import dev.cpr.contracts.node.LocalEtcdMember;
import dev.cpr.sandbox.demo.launcher.CprHome;
import dev.cpr.sandbox.demo.launcher.ServiceProcess;
import dev.cpr.sandbox.demo.launcher.World;
import dev.cpr.sandbox.etcd.EtcdRelease;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * One world (sandbox + the four packaged services) for the whole e2e run: starting it costs tens of
 * seconds on two cores, so the test classes share it and each leaves the cluster healthy.
 */
final class SharedWorld {

    private static World world;

    private SharedWorld() {
    }

    static synchronized World get() {
        if (world == null) {
            CprHome home = CprHome.locate();
            // the run on etcd 3.5 (-Dcpr.sandbox.etcd=3.5, a second failsafe execution) keeps its own world
            Path baseDir = home.root().resolve("e2e/target/world" + EtcdRelease.requested().map(r -> "-etcd" + r).orElse(""));
            try {
                LocalEtcdMember.deleteRecursively(baseDir);
                // the run on the system's etcd also has a real OIDC provider, for ConsoleSsoLoginIT; the 3.5 run
                // proves the recoveries on another etcd and does not need one
                boolean sso = EtcdRelease.requested().isEmpty();
                world = World.start(home, baseDir, false, Map.of(), sso, line -> System.out.println("[e2e] " + line));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(world::close, "e2e-world-shutdown"));
        }
        return world;
    }

    /** The shared world's console (dashboard and the cpr command's API), started the first time a test asks. */
    static synchronized ServiceProcess console() {
        try {
            return get().startConsole(false, line -> System.out.println("[e2e] " + line));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
