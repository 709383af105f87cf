package dev.cpr.sandbox.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.cpr.contracts.inventory.InventoryLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code docker-compose.yml} through {@code docker-compose config} (Debian's docker-compose, which checks a file
 * against the Compose specification's schema without a Docker engine), then what the resolved file must wire: every
 * secret from the environment, the service URLs and tokens, healthchecks, {@code depends_on} conditions, volumes,
 * restart policies, non-root read-only cpr containers and ssh-reachable etcd nodes; every Quarkus app of the build
 * (the console included) is a service, and the optional OIDC settings reach every one of them.
 */
class DockerComposeTest {

    private static final Path ROOT = QuarkusApps.ROOT;
    private static final Map<String, String> SECRETS = Map.of("CPR_POSTGRES_PASSWORD", "pg-secret",
            "CPR_ONCALL_TOKEN", "oncall-secret", "CPR_RESTORE_SERVICE_TOKEN", "restore-secret",
            "CPR_NOTIFIER_SERVICE_TOKEN", "notifier-secret", "CPR_SLACK_SIGNING_SECRET", "signing-secret",
            "CPR_APPROVAL_PRIVATE_KEY", "approval-private", "CPR_APPROVAL_PUBLIC_KEY", "approval-public");
    private static final List<String> CPR = List.of("health-monitor", "backup-service", "restore-service", "notifier");
    private static final Map<String, String> SSO = Map.of("CPR_AUTH_OIDC_ISSUER", "https://sso.example.com/realms/ops",
            "CPR_CONSOLE_OIDC_CLIENT_ID", "cpr-console", "CPR_CONSOLE_OIDC_CLIENT_SECRET", "console-secret",
            "CPR_CONSOLE_PUBLIC_URL", "https://cpr.example.com");

    @TempDir
    Path tmp;

    @Test
    void theFileIsValidAgainstTheComposeSchema() throws Exception {
        Run run = config(ROOT.resolve("docker-compose.yml"), SECRETS, "-q");

        assertThat(run.exitCode()).as(run.output()).isZero();
    }

    @Test
    void anUnknownOptionIsRefusedSoTheSchemaCheckIsReal() throws Exception {
        Path broken = Files.writeString(tmp.resolve("docker-compose.yml"), Files.readString(ROOT.resolve("docker-compose.yml"))
                .replace("    healthcheck: &cpr-health", "    healthchek: &cpr-health"));

        Run run = config(broken, SECRETS, "-q");

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.output()).contains("healthchek");
    }

    @Test
    void withoutTheSecretsItRefusesToStartNamingTheMissingVariable() throws Exception {
        Map<String, String> withoutSigningSecret = new HashMap<>(SECRETS);
        withoutSigningSecret.remove("CPR_SLACK_SIGNING_SECRET");

        Run run = config(ROOT.resolve("docker-compose.yml"), withoutSigningSecret, "-q");

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.output()).contains("set CPR_SLACK_SIGNING_SECRET");
    }

    @Test
    void everyServiceIsWiredHealthCheckedAndRestarted() throws Exception {
        JsonNode services = resolved(SECRETS).path("services");

        for (String name : CPR) {
            JsonNode service = services.path(name);
            JsonNode env = service.path("environment");
            assertThat(service.path("healthcheck").path("test").toString()).as(name).contains("/q/health/ready");
            assertThat(service.path("restart").asText()).as(name).isEqualTo("unless-stopped");
            assertThat(service.path("read_only").asBoolean()).as(name + " read_only").isTrue();
            assertThat(service.path("user").asText()).as(name).isEqualTo("185:185");
            assertThat(env.path("CPR_AUTH_TOKENS").asText()).contains("restore-service=viewer:restore-secret",
                    "notifier=operator:notifier-secret", "oncall=operator:oncall-secret");
            assertThat(env.path("QUARKUS_DATASOURCE_PASSWORD").asText()).isEqualTo("pg-secret");
            for (String dependency : List.of("kafka", "postgres", "etcd-1", "etcd-2", "etcd-3")) {
                assertThat(service.path("depends_on").path(dependency).path("condition").asText())
                        .as(name + " depends_on " + dependency).isEqualTo("service_healthy");
            }
        }
        JsonNode restore = services.path("restore-service").path("environment");
        assertThat(restore.path("CPR_RESTORE_BACKUP_SERVICE_URL").asText()).isEqualTo("http://backup-service:8082");
        assertThat(restore.path("CPR_RESTORE_SERVICE_TOKEN").asText()).isEqualTo("restore-secret");
        JsonNode notifier = services.path("notifier").path("environment");
        assertThat(notifier.path("CPR_SLACK_SIGNING_SECRET").asText()).isEqualTo("signing-secret");
        assertThat(notifier.path("CPR_NOTIFIER_SERVICE_TOKEN").asText()).isEqualTo("notifier-secret");
        assertThat(notifier.path("CPR_NOTIFIER_RESTORE_SERVICE_URL").asText()).isEqualTo("http://restore-service:8083");
        for (String backing : List.of("kafka", "postgres", "etcd-1", "prometheus")) {
            assertThat(services.path(backing).path("healthcheck").isMissingNode()).as(backing + " healthcheck").isFalse();
        }
    }

    @Test
    void backupsAndSnapshotsAreOnNamedVolumesAndTheEtcdNodesAreReachableOverSsh() throws Exception {
        JsonNode compose = resolved(SECRETS);
        JsonNode services = compose.path("services");

        assertThat(volumeTargets(services.path("backup-service"))).contains("/var/lib/cpr/data", "/var/lib/cpr/bbr");
        assertThat(volumeTargets(services.path("restore-service"))).contains("/var/lib/cpr/data", "/etc/cpr/ssh");
        assertThat(services.path("backup-service").path("environment").path("CPR_BACKUP_STORE_PATH").asText())
                .startsWith("/var/lib/cpr/data/");
        assertThat(compose.path("volumes").has("cpr-data")).isTrue();
        assertThat(services.path("etcd-1").path("depends_on").path("ssh-keys").path("condition").asText())
                .isEqualTo("service_completed_successfully");
        // the inventory the services load names those nodes with ssh access, and loads
        var inventory = InventoryLoader.load(ROOT.resolve("deploy/compose/inventory.yaml"));
        assertThat(inventory.clusters().get(0).members()).allSatisfy(m ->
                assertThat(services.has(m.access().host())).as("a compose service for " + m.access().host()).isTrue());
    }

    @Test
    void restoreServiceRehearsesOnScheduleWithinAScratchBudgetItsTmpfsHolds() throws Exception {
        JsonNode restore = resolved(SECRETS).path("services").path("restore-service");
        JsonNode env = restore.path("environment");

        assertThat(env.path("CPR_RESTORE_REHEARSAL_ENABLED").asText()).isEqualTo("true");
        assertThat(env.path("CPR_RESTORE_REHEARSAL_SCRATCH_DIR").asText()).startsWith("/tmp/");
        // /tmp is a tmpfs whose size docker enforces: the scratch budget stays under it
        String tmpfs = StreamSupport.stream(restore.path("tmpfs").spliterator(), false).map(JsonNode::asText)
                .filter(t -> t.startsWith("/tmp:")).findFirst().orElseThrow(() -> new AssertionError("no /tmp tmpfs"));
        Matcher size = Pattern.compile("size=(\\d+)([kmg])").matcher(tmpfs);
        assertThat(size.find()).as(tmpfs).isTrue();
        long tmpfsBytes = Long.parseLong(size.group(1)) << (10 * ("_kmg".indexOf(size.group(2))));
        Matcher budget = Pattern.compile("(\\d+)G").matcher(env.path("CPR_RESTORE_REHEARSAL_SCRATCH_BUDGET").asText());
        assertThat(budget.matches()).isTrue();
        assertThat(Long.parseLong(budget.group(1)) << 30).isLessThan(tmpfsBytes);
    }

    @Test
    void everyQuarkusAppOfTheBuildIsAServiceBuiltFromItsOwnPackage() throws Exception {
        JsonNode services = resolved(SECRETS).path("services");

        assertThat(QuarkusApps.modules()).as("the build's Quarkus apps").containsAll(CPR).contains("console");
        for (String module : QuarkusApps.modules()) {
            JsonNode build = services.path(module).path("build");
            assertThat(build.isMissingNode()).as("a compose service " + module + " built here").isFalse();
            String dockerfile = build.path("dockerfile").asText();
            // Dockerfile.jvm copies <SERVICE>/target/quarkus-app; the others are one service's own
            if (dockerfile.equals("deploy/docker/Dockerfile.jvm")) {
                assertThat(build.path("args").path("SERVICE").asText()).as(module + " SERVICE").isEqualTo(module);
            } else {
                assertThat(dockerfile).as(module).isEqualTo("deploy/docker/Dockerfile." + module);
            }
            assertThat(ROOT.resolve(dockerfile)).as(module).isRegularFile();
        }
    }

    @Test
    void theConsoleReachesTheFourServicesAtTheirComposeAddressesAndChecksTheirTokens() throws Exception {
        JsonNode services = resolved(SECRETS).path("services");
        JsonNode console = services.path("console");
        JsonNode env = console.path("environment");

        for (String name : CPR) {
            JsonNode service = services.path(name).path("environment");
            String url = "CPR_CONSOLE_" + name.toUpperCase(Locale.ROOT).replace('-', '_') + "_URL";
            assertThat(env.path(url).asText()).as(url)
                    .isEqualTo("http://" + name + ":" + service.path("QUARKUS_HTTP_PORT").asText());
            assertThat(env.path("CPR_AUTH_TOKENS")).as("the console checks " + name + "'s own tokens")
                    .isEqualTo(service.path("CPR_AUTH_TOKENS"));
            // started, not healthy: the console shows a service that is down as down, so it must not wait for it
            assertThat(console.path("depends_on").path(name).path("condition").asText()).as("console depends_on " + name)
                    .isEqualTo("service_started");
        }
        assertThat(env.path("QUARKUS_HTTP_PORT").asText()).isEqualTo("8080");
        assertThat(console.path("ports").get(0).path("published").asInt()).isEqualTo(8080);
        assertThat(console.path("ports").get(0).path("target").asInt()).isEqualTo(8080);
        assertThat(console.path("healthcheck").path("test").toString()).contains("http://127.0.0.1:8080/q/health/ready");
        assertThat(console.path("restart").asText()).isEqualTo("unless-stopped");
        assertThat(console.path("read_only").asBoolean()).as("console read_only").isTrue();
        assertThat(console.path("user").asText()).isEqualTo("185:185");
        assertThat(volumeTargets(console)).as("the inventory, for each cluster's RPO")
                .contains(env.path("CPR_INVENTORY_PATH").asText());
        assertThat(env.path("CPR_CONSOLE_SECURE_COOKIE").asText()).as("plain HTTP on port 8080").isEqualTo("false");
        List<String> keys = new ArrayList<>();
        env.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).as("the console has no database and no Kafka")
                .noneMatch(k -> k.startsWith("KAFKA_") || k.startsWith("QUARKUS_DATASOURCE_"));
    }

    @Test
    void theOidcSettingsAreEmptyUnlessGivenAndThenReachEveryServiceAndTheConsole() throws Exception {
        Map<String, String> withSso = new HashMap<>(SECRETS);
        withSso.putAll(SSO);
        JsonNode without = resolved(SECRETS).path("services");
        JsonNode with = resolved(withSso).path("services");

        List<String> all = new ArrayList<>(CPR);
        all.add("console");
        for (String name : all) {
            // empty, not absent: SmallRye Config reads an empty variable as unset, so OIDC stays off
            assertThat(without.path(name).path("environment").path("CPR_AUTH_OIDC_ISSUER").isTextual()).as(name).isTrue();
            assertThat(without.path(name).path("environment").path("CPR_AUTH_OIDC_ISSUER").asText()).as(name).isEmpty();
            assertThat(with.path(name).path("environment").path("CPR_AUTH_OIDC_ISSUER").asText()).as(name)
                    .isEqualTo(SSO.get("CPR_AUTH_OIDC_ISSUER"));
        }
        for (String key : List.of("CPR_CONSOLE_OIDC_CLIENT_ID", "CPR_CONSOLE_OIDC_CLIENT_SECRET", "CPR_CONSOLE_PUBLIC_URL")) {
            assertThat(without.path("console").path("environment").path(key).isTextual()).as(key).isTrue();
            assertThat(without.path("console").path("environment").path(key).asText()).as(key).isEmpty();
            assertThat(with.path("console").path("environment").path(key).asText()).as(key).isEqualTo(SSO.get(key));
        }
    }

    private static List<String> volumeTargets(JsonNode service) {
        List<String> targets = new ArrayList<>();
        // long syntax (target) or short (source:target[:mode]), depending on the docker-compose version
        service.path("volumes").forEach(v -> targets.add(v.isTextual() ? v.asText().split(":")[1] : v.path("target").asText()));
        return targets;
    }

    private JsonNode resolved(Map<String, String> env) throws Exception {
        Run run = config(ROOT.resolve("docker-compose.yml"), env);
        assertThat(run.exitCode()).as(run.output()).isZero();
        return new ObjectMapper(new YAMLFactory()).readTree(run.output());
    }

    private record Run(int exitCode, String output) {
    }

    private static Run config(Path file, Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("docker-compose", "--project-directory", ROOT.toString(),
                "-f", file.toString(), "config"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        SECRETS.keySet().forEach(builder.environment()::remove);
        SSO.keySet().forEach(builder.environment()::remove);
        builder.environment().remove("CPR_CONSOLE_SECURE_COOKIE");
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), output);
    }
}
