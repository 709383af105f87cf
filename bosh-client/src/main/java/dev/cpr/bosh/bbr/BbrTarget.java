package dev.cpr.bosh.bbr;

import dev.cpr.contracts.inventory.BoshSpec;
import dev.cpr.contracts.inventory.ClusterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one {@code bbr} backup is of, and the flags that say so:
 * <pre>
 * bbr deployment --target URL --username CLIENT --deployment NAME [--ca-cert PATH] &lt;command&gt;
 *     (the client secret in BOSH_CLIENT_SECRET, bbr's --password env var: never on the command line)
 * bbr director --host HOST --username USER --private-key-path KEY &lt;command&gt;
 * </pre>
 * {@code backup} adds {@code --artifact-path DIR} (where the artifact goes), {@code restore} the artifact's own
 * directory.
 *
 * @param kind              {@link #DEPLOYMENT} or {@link #DIRECTOR}, the catalog kind
 * @param expectedInstances instances the artifact must hold ({@code master/0..n-1} of a deployment)
 */
public record BbrTarget(String clusterId, String kind, List<String> globalFlags, Map<String, String> env,
        Set<String> expectedInstances, String describe) {

    /** Catalog kind of a {@code bbr deployment} artifact. */
    public static final String DEPLOYMENT = "bbr-deployment";
    /** Catalog kind of a {@code bbr director} artifact. */
    public static final String DIRECTOR = "bbr-director";

    public BbrTarget {
        globalFlags = List.copyOf(globalFlags);
        env = Map.copyOf(env);
        expectedInstances = Set.copyOf(expectedInstances);
    }

    /** The deployment of a {@code kind: bosh} cluster; its instance group must have one instance per member. */
    public static BbrTarget deployment(ClusterSpec cluster) {
        BoshSpec bosh = requireBosh(cluster);
        List<String> flags = new ArrayList<>(List.of("deployment", "--target", bosh.directorUrl(),
                "--username", bosh.client(), "--deployment", bosh.deployment()));
        if (bosh.caCert() != null) {
            flags.addAll(List.of("--ca-cert", bosh.caCert()));
        }
        Set<String> expected = new TreeSet<>();
        for (int i = 0; i < cluster.members().size(); i++) {
            expected.add(bosh.instanceGroupOrDefault() + "/" + i);
        }
        return new BbrTarget(cluster.id(), DEPLOYMENT, flags, Map.of("BOSH_CLIENT_SECRET", bosh.resolveClientSecret()),
                expected, "deployment " + bosh.deployment());
    }

    /** The BOSH director itself ({@code bosh.director} of the cluster: host, user, private key). */
    public static BbrTarget director(ClusterSpec cluster) {
        BoshSpec bosh = requireBosh(cluster);
        BoshSpec.DirectorSsh ssh = bosh.director();
        if (ssh == null || ssh.host() == null || ssh.privateKeyPath() == null) {
            throw new IllegalArgumentException("cluster " + cluster.id()
                    + " has no bosh.director (host, user, private-key-path) for bbr director");
        }
        List<String> flags = List.of("director", "--host", ssh.host(), "--username",
                ssh.user() == null ? "bbr" : ssh.user(), "--private-key-path", ssh.privateKeyPath());
        return new BbrTarget(cluster.id(), DIRECTOR, flags, Map.of(), Set.of(), "director " + ssh.host());
    }

    public List<String> command(String subcommand) {
        List<String> args = new ArrayList<>(globalFlags);
        args.add(subcommand);
        return args;
    }

    public List<String> backup(String artifactPath) {
        List<String> args = command("backup");
        args.addAll(List.of("--artifact-path", artifactPath));
        return args;
    }

    /** {@code restore --artifact-path DIR}: DIR is the artifact itself ({@code <deployment>_<timestamp>/}). */
    public List<String> restore(String artifactDir) {
        List<String> args = command("restore");
        args.addAll(List.of("--artifact-path", artifactDir));
        return args;
    }

    private static BoshSpec requireBosh(ClusterSpec cluster) {
        if (cluster.bosh() == null) {
            throw new IllegalArgumentException("cluster " + cluster.id() + " is not kind: bosh (no bosh section): "
                    + "bbr backs up BOSH deployments only");
        }
        return cluster.bosh();
    }
}
