package dev.cpr.sandbox.demo.launcher;

import dev.cpr.contracts.approval.ApprovalSignatures;
import dev.cpr.sandbox.etcd.EtcdRelease;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * How the world wires each service to the sandbox: only environment variables, as in production. A service names
 * another by its front's URL ({@link World#url}), which exists before any service starts.
 */
final class ServiceEnvironment {

    /** The simulator accepts any {@code xox...} token; this one says where it came from. */
    private static final String SANDBOX_SLACK_TOKEN = "xoxb-sandbox";

    private final World world;
    private final CprHome home;
    private final Function<CprService, Map<String, String>> extraEnv;

    ServiceEnvironment(World world, CprHome home, Function<CprService, Map<String, String>> extraEnv) {
        this.world = world;
        this.home = home;
        this.extraEnv = extraEnv;
    }

    /**
     * The configuration a service's replica gets (0 the first, 1 the second): only environment variables, as in
     * production. The replicas differ only in their id.
     */
    Map<String, String> envFor(CprService service, int replica) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CPR_INVENTORY_PATH", world.sandbox().inventoryPath().toString());
        env.put("CPR_AUTH_TOKENS", world.tokens().asConfig());
        env.put("KAFKA_BOOTSTRAP_SERVERS", world.sandbox().kafka().bootstrapServers());
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", world.sandbox().postgres().reactiveUrl());
        env.put("QUARKUS_DATASOURCE_JDBC_URL", world.sandbox().postgres().jdbcUrl());
        env.put("QUARKUS_DATASOURCE_USERNAME", world.sandbox().postgres().username());
        env.put("QUARKUS_DATASOURCE_PASSWORD", world.sandbox().postgres().password());
        env.putAll(world.pks().env());
        // the OIDC provider's access tokens are accepted beside the static tokens, by every service alike
        world.sso().ifPresent(sso -> env.put("CPR_AUTH_OIDC_ISSUER", sso.issuer()));
        // each replica named as a StatefulSet would name it: a stable id, so a restart keeps its leases and its Kafka
        // group membership (static, no rebalance of the others); two replicas with one id would fence each other
        env.put("CPR_REPLICA_ID", World.replicaId(service, replica));
        // etcd, etcdctl and etcdutl of the release the sandbox runs, when it is not the system's
        Optional<Path> releaseTools = EtcdRelease.requested().map(EtcdRelease::binDir);
        switch (service) {
            case BACKUP_SERVICE -> {
                env.put("CPR_BACKUP_STORE_PATH", world.baseDir().resolve("backups").toString());
                env.put("CPR_BACKUP_DRILL_SCRATCH_DIR", world.baseDir().resolve("drills").toString());
                env.put("CPR_BACKUP_BBR_BINARY", home.bbrBinary().toString());
                env.put("CPR_BACKUP_BBR_ARTIFACT_PATH", world.bbrArtifacts().toString());
                // the change log: a quorum restore goes on from its snapshot to the newest revision recorded
                env.put("CPR_CHANGELOG_ENABLED", "true");
                // a drill needs an etcd at least as new as the cluster's: on a release other than the system's,
                // the drill's tools are the sandbox's own (the system's 3.4 would call every 3.5 snapshot inconclusive)
                releaseTools.ifPresent(bin -> {
                    env.put("CPR_BACKUP_DRILL_ETCD", bin.resolve("etcd").toString());
                    env.put("CPR_BACKUP_DRILL_ETCDCTL", bin.resolve("etcdctl").toString());
                    env.put("CPR_BACKUP_DRILL_ETCDUTL", bin.resolve("etcdutl").toString());
                });
            }
            case RESTORE_SERVICE -> {
                env.put("CPR_RESTORE_SNAPSHOT_DIR", world.baseDir().resolve("snapshots").toString());
                // a master's persistent disk is a directory on this host; bbr restores read backup-service's artifacts
                env.put("CPR_RESTORE_BOSH_VM_SHELL", "local");
                env.put("CPR_RESTORE_BBR_BINARY", home.bbrBinary().toString());
                env.put("CPR_RESTORE_BBR_ARTIFACT_ROOT", world.bbrArtifacts().toString());
                // quorum restores come from backup-service's catalog; reading it needs a viewer token
                env.put("CPR_RESTORE_BACKUP_SERVICE_URL", world.url(CprService.BACKUP_SERVICE));
                env.put("CPR_RESTORE_SERVICE_TOKEN", world.tokens().viewer());
                // the kubespray cluster is recovered by ansible-playbook run from its stand-in checkout
                env.putAll(world.kubespray().restoreServiceEnv());
                env.put("CPR_RESTORE_APPROVAL_TRUSTED_KEYS", ApprovalSignatures.encode(world.approvalKeys().getPublic()));
                // no rehearsal on schedule (on by default): its first look, five minutes after a start, would start
                // scratch members in the middle of whatever scenario runs then, and a scheduled one running when the
                // rehearsal scenario asks for its own would answer 409. The scenario runs one over REST.
                env.put("CPR_RESTORE_REHEARSAL_ENABLED", "false");
                // the members run through a wrapper script in the world's directory, so "beside the member's etcd"
                // finds no etcdutl: on a release other than the system's, restores use the sandbox's own tools
                releaseTools.ifPresent(bin -> {
                    env.put("CPR_RESTORE_RESTORE_ETCDCTL", bin.resolve("etcdctl").toString());
                    env.put("CPR_RESTORE_RESTORE_ETCDUTL", bin.resolve("etcdutl").toString());
                });
            }
            case NOTIFIER -> {
                env.put("CPR_SLACK_API_URL", world.slack().apiUrl());
                env.put("CPR_SLACK_TOKEN", SANDBOX_SLACK_TOKEN);
                env.put("CPR_SLACK_CHANNEL", "#cpr-alerts");
                env.put("CPR_SLACK_SIGNING_SECRET", world.slack().signingSecret());
                env.put("CPR_SLACK_APPROVERS", World.SLACK_APPROVER);
                // the services' fronts (one address for all replicas, as a Kubernetes Service)
                env.put("CPR_NOTIFIER_BACKUP_SERVICE_URL", world.url(CprService.BACKUP_SERVICE));
                env.put("CPR_NOTIFIER_RESTORE_SERVICE_URL", world.url(CprService.RESTORE_SERVICE));
                env.put("CPR_NOTIFIER_SERVICE_TOKEN", world.tokens().operator());
                env.put("CPR_NOTIFIER_APPROVAL_SIGNING_KEY", ApprovalSignatures.encode(world.approvalKeys().getPrivate()));
            }
            default -> {
            }
        }
        env.putAll(extraEnv.apply(service));
        return env;
    }

    /** The console's configuration: the four services' URLs and the same tokens, so callers' tokens pass through. */
    Map<String, String> consoleEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CPR_INVENTORY_PATH", world.sandbox().inventoryPath().toString());
        env.put("CPR_AUTH_TOKENS", world.tokens().asConfig());
        env.put("CPR_CONSOLE_HEALTH_MONITOR_URL", world.url(CprService.HEALTH_MONITOR));
        env.put("CPR_CONSOLE_BACKUP_SERVICE_URL", world.url(CprService.BACKUP_SERVICE));
        env.put("CPR_CONSOLE_RESTORE_SERVICE_URL", world.url(CprService.RESTORE_SERVICE));
        env.put("CPR_CONSOLE_NOTIFIER_URL", world.url(CprService.NOTIFIER));
        world.sso().ifPresent(sso -> {
            env.put("CPR_AUTH_OIDC_ISSUER", sso.issuer());
            env.put("CPR_CONSOLE_OIDC_CLIENT_ID", sso.clientId());
            env.put("CPR_CONSOLE_OIDC_CLIENT_SECRET", sso.clientSecret());
        });
        return env;
    }
}
