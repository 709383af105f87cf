package dev.cpr.sandbox.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code deploy/kubernetes} rendered by {@code kubectl kustomize} for each overlay, then every object read into the
 * Kubernetes API model of its {@code apiVersion}/{@code kind} (fabric8, generated from the API's OpenAPI schemas; the
 * Prometheus Operator's for ServiceMonitor and PrometheusRule) with no unknown field anywhere, and checked for what
 * "works as shipped" means: probes, non-root on a read-only root filesystem, every Secret key a service reads present
 * in the examples, shared storage for every service with more than one replica, and the rules equal to
 * {@code deploy/prometheus/cpr-rules.yml}; every Quarkus app of the build (the console included) is deployed, and the
 * console reaches the four services through their Services with the network policies admitting it. Offline: no cluster
 * is contacted.
 */
class KubernetesManifestsTest {

    static final Path KUBERNETES = Path.of("..", "deploy", "kubernetes").toAbsolutePath().normalize();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final Map<String, Class<? extends HasMetadata>> MODEL = Map.ofEntries(
            Map.entry("v1/Namespace", Namespace.class),
            Map.entry("v1/ServiceAccount", ServiceAccount.class),
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/Secret", Secret.class),
            Map.entry("v1/PersistentVolumeClaim", PersistentVolumeClaim.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
            Map.entry("networking.k8s.io/v1/Ingress", Ingress.class),
            Map.entry("monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class),
            Map.entry("monitoring.coreos.com/v1/PrometheusRule", PrometheusRule.class));
    private static final List<String> SERVICES = List.of("health-monitor", "backup-service", "restore-service", "notifier");
    /** Every process to deploy: read from the build, so a new app left out of the manifests fails here. */
    private static final List<String> APPS = QuarkusApps.modules();
    private static final Pattern PATH = Pattern.compile("@Path\\(\"([^\"]*)\"\\)");
    private static final Pattern CLASS = Pattern.compile("^(public\\s+)?(final\\s+)?class\\s", Pattern.MULTILINE);

    @ParameterizedTest
    @ValueSource(strings = {"single", "ha", "s3"})
    void everyRenderedObjectIsAValidKubernetesObjectWithNoUnknownField(String overlay) throws Exception {
        List<JsonNode> rendered = render("overlays/" + overlay);

        assertThat(rendered).hasSizeGreaterThan(20);
        for (JsonNode object : rendered) {
            HasMetadata typed = typed(object);
            assertThat(typed.getMetadata().getNamespace()).as(describe(object)).isEqualTo("Namespace".equals(typed.getKind())
                    ? null : "cpr-system");
        }
    }

    @Test
    void theSecretExamplesAreValidSecrets() throws IOException {
        for (JsonNode object : documents(KUBERNETES.resolve("examples/secrets.yaml").toFile())) {
            assertThat(typed(object)).isInstanceOf(Secret.class);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"single", "ha", "s3"})
    void everyServiceIsProbedAndRunsAsNonRootOnAReadOnlyRootFilesystem(String overlay) throws Exception {
        List<HasMetadata> objects = typedAll(render("overlays/" + overlay));

        assertThat(APPS).as("the build's Quarkus apps").containsAll(SERVICES).contains("console");
        for (String name : APPS) {
            Deployment deployment = find(objects, Deployment.class, name);
            PodSpec pod = deployment.getSpec().getTemplate().getSpec();
            Container container = pod.getContainers().get(0);
            assertThat(container.getStartupProbe()).as(name + " startupProbe").isNotNull();
            assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
            assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).as(name + " runAsNonRoot").isTrue();
            assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).as(name + " readOnlyRootFilesystem").isTrue();
            assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
            assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
            assertThat(pod.getServiceAccountName()).isEqualTo("cpr");
            assertThat(container.getVolumeMounts()).extracting(VolumeMount::getMountPath).as(name + " writable /tmp")
                    .contains("/tmp");
            assertThat(find(objects, PodDisruptionBudget.class, name).getSpec().getSelector().getMatchLabels())
                    .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
            assertThat(find(objects, Service.class, name).getSpec().getSelector())
                    .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"single", "ha", "s3"})
    void everySecretKeyAndConfigMapAServiceReadsExists(String overlay) throws Exception {
        List<HasMetadata> objects = typedAll(render("overlays/" + overlay));
        List<Secret> secrets = typedAll(documents(KUBERNETES.resolve("examples/secrets.yaml").toFile())).stream()
                .map(Secret.class::cast).toList();
        List<String> missing = new ArrayList<>();

        for (Deployment deployment : all(objects, Deployment.class)) {
            PodSpec pod = deployment.getSpec().getTemplate().getSpec();
            for (EnvVar env : pod.getContainers().get(0).getEnv()) {
                if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null) {
                    var ref = env.getValueFrom().getSecretKeyRef();
                    if (!secretHas(secrets, ref.getName(), ref.getKey())) {
                        missing.add(deployment.getMetadata().getName() + " " + env.getName() + " <- " + ref.getName() + "/" + ref.getKey());
                    }
                }
                if (env.getValueFrom() != null && env.getValueFrom().getConfigMapKeyRef() != null) {
                    var ref = env.getValueFrom().getConfigMapKeyRef();
                    if (!find(objects, ConfigMap.class, ref.getName()).getData().containsKey(ref.getKey())) {
                        missing.add(deployment.getMetadata().getName() + " " + env.getName() + " <- ConfigMap " + ref.getName()
                                + "/" + ref.getKey());
                    }
                }
            }
            for (Volume volume : pod.getVolumes()) {
                if (volume.getSecret() != null && secrets.stream().noneMatch(s -> s.getMetadata().getName().equals(volume.getSecret().getSecretName()))) {
                    missing.add(deployment.getMetadata().getName() + " volume " + volume.getSecret().getSecretName());
                }
                if (volume.getConfigMap() != null) {
                    find(objects, ConfigMap.class, volume.getConfigMap().getName());
                }
                if (volume.getPersistentVolumeClaim() != null) {
                    find(objects, PersistentVolumeClaim.class, volume.getPersistentVolumeClaim().getClaimName());
                }
            }
        }
        for (Ingress ingress : all(objects, Ingress.class)) {
            ingress.getSpec().getTls().forEach(tls -> {
                if (secrets.stream().noneMatch(s -> s.getMetadata().getName().equals(tls.getSecretName()))) {
                    missing.add("ingress tls " + tls.getSecretName());
                }
            });
        }

        assertThat(missing).as("Secret keys read but not in examples/secrets.yaml, ConfigMap keys read but not rendered")
                .isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"single", "ha", "s3"})
    void aServiceWithMoreThanOneReplicaKeepsItsFilesOnSharedStorageOrS3(String overlay) throws Exception {
        List<HasMetadata> objects = typedAll(render("overlays/" + overlay));
        Map<String, String> env = find(objects, ConfigMap.class, "cpr-env").getData();

        for (Deployment deployment : all(objects, Deployment.class)) {
            if (deployment.getSpec().getReplicas() <= 1) {
                continue;
            }
            PodSpec pod = deployment.getSpec().getTemplate().getSpec();
            for (Volume volume : pod.getVolumes()) {
                assertThat(volume.getHostPath()).as(deployment.getMetadata().getName() + " hostPath").isNull();
                if (volume.getPersistentVolumeClaim() != null) {
                    PersistentVolumeClaim claim = find(objects, PersistentVolumeClaim.class,
                            volume.getPersistentVolumeClaim().getClaimName());
                    assertThat(claim.getSpec().getAccessModes()).as(deployment.getMetadata().getName() + " mounts "
                            + claim.getMetadata().getName()).containsExactly("ReadWriteMany");
                }
            }
            if (deployment.getMetadata().getName().equals("backup-service") && !"s3".equals(env.get("CPR_BACKUP_STORE_TYPE"))) {
                assertThat(sharedMountHolding(objects, pod, env.get("CPR_BACKUP_STORE_PATH")))
                        .as("backup-service's local store on a ReadWriteMany volume").isTrue();
            }
            if (deployment.getMetadata().getName().equals("restore-service")) {
                assertThat(sharedMountHolding(objects, pod, env.get("CPR_RESTORE_SNAPSHOT_DIR")))
                        .as("restore-service's safety snapshots on a ReadWriteMany volume").isTrue();
            }
        }
    }

    @Test
    void haRunsTwoReplicasOfEveryServiceAndS3StoresBackupsInABucket() throws Exception {
        List<HasMetadata> ha = typedAll(render("overlays/ha"));
        List<HasMetadata> s3 = typedAll(render("overlays/s3"));

        for (String service : List.of("health-monitor", "notifier", "backup-service", "restore-service", "console")) {
            assertThat(find(ha, Deployment.class, service).getSpec().getReplicas()).as(service).isEqualTo(2);
            assertThat(find(ha, Deployment.class, service).getSpec().getTemplate().getSpec()
                    .getTopologySpreadConstraints()).as(service + " spread over nodes").isNotEmpty();
        }
        assertThat(find(typedAll(render("overlays/single")), Deployment.class, "notifier").getSpec().getReplicas())
                .isEqualTo(1);
        assertThat(find(s3, ConfigMap.class, "cpr-env").getData()).containsEntry("CPR_BACKUP_STORE_TYPE", "s3")
                .containsKey("CPR_BACKUP_STORE_S3_BUCKET");
    }

    @ParameterizedTest
    @ValueSource(strings = {"single", "ha", "s3"})
    void restoreServiceRehearsesOnScheduleWithinAScratchBudgetItsEmptyDirHoldsWithRoomToSpare(String overlay)
            throws Exception {
        List<HasMetadata> objects = typedAll(render("overlays/" + overlay));
        Map<String, String> env = find(objects, ConfigMap.class, "cpr-env").getData();
        PodSpec pod = find(objects, Deployment.class, "restore-service").getSpec().getTemplate().getSpec();

        assertThat(env).containsEntry("CPR_RESTORE_REHEARSAL_ENABLED", "true");
        String scratchDir = env.get("CPR_RESTORE_REHEARSAL_SCRATCH_DIR");
        VolumeMount mount = pod.getContainers().get(0).getVolumeMounts().stream()
                .filter(m -> scratchDir.startsWith(m.getMountPath() + "/")).findFirst()
                .orElseThrow(() -> new AssertionError("no volume holds the scratch directory " + scratchDir));
        Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
        assertThat(volume.getEmptyDir()).as("the scratch directory is on the pod's own emptyDir").isNotNull();
        // the emptyDir's sizeLimit is what evicts the pod, and statfs does not show it: the budget must stay under it,
        // with room left for plan files and kubespray's work
        long sizeLimit = volume.getEmptyDir().getSizeLimit().getNumericalAmount().longValueExact();
        long budget = quarkusMemorySize(env.get("CPR_RESTORE_REHEARSAL_SCRATCH_BUDGET"));
        assertThat(budget).as("the scratch budget").isPositive().isLessThanOrEqualTo(sizeLimit - (512L << 20));
        // the scratch members run in the container: its heap is held below the limit so that room is left for them
        Container container = pod.getContainers().get(0);
        assertThat(envValue(objects, container, "JAVA_OPTS_APPEND")).contains("-Djava.io.tmpdir=/tmp")
                .contains("-XX:MaxRAMPercentage=40");
        assertThat(container.getResources().getLimits().get("memory").getNumericalAmount().longValueExact())
                .isGreaterThanOrEqualTo(1536L << 20);
    }

    /** A size as Quarkus's {@code MemorySize} reads it: a number with an optional K, M, G or T, in powers of 1024. */
    private static long quarkusMemorySize(String text) {
        Matcher matcher = Pattern.compile("(\\d+)([KMGT]?)", Pattern.CASE_INSENSITIVE).matcher(text.trim());
        assertThat(matcher.matches()).as("a size: " + text).isTrue();
        int shift = 10 * "_KMGT".indexOf(matcher.group(2).isEmpty() ? "_" : matcher.group(2).toUpperCase(Locale.ROOT));
        return Long.parseLong(matcher.group(1)) << shift;
    }

    @Test
    void noContainerSetsAnEnvironmentVariableTwice() throws Exception {
        // a name given twice is applied with the last value, silently: restore-service's trusted approval keys were
        for (String overlay : List.of("base", "overlays/ha", "overlays/s3", "overlays/single")) {
            for (Deployment deployment : all(typedAll(render(overlay)), Deployment.class)) {
                for (Container container : deployment.getSpec().getTemplate().getSpec().getContainers()) {
                    List<String> names = container.getEnv().stream().map(EnvVar::getName).toList();
                    assertThat(names).as(overlay + ": " + deployment.getMetadata().getName() + "/" + container.getName())
                            .doesNotHaveDuplicates();
                }
            }
        }
    }

    @Test
    void theIngressExposesOnlySlacksEndpointsOfNotifier() throws Exception {
        Ingress ingress = find(typedAll(render("base")), Ingress.class, "notifier-slack");

        assertThat(ingress.getSpec().getRules().get(0).getHttp().getPaths()).allSatisfy(path -> {
            assertThat(path.getPath()).startsWith("/slack/");
            assertThat(path.getBackend().getService().getName()).isEqualTo("notifier");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"single", "ha", "s3"})
    void theConsoleReachesTheFourServicesThroughTheirServicesAndTheNetworkPoliciesAdmitIt(String overlay) throws Exception {
        List<HasMetadata> objects = typedAll(render("overlays/" + overlay));
        Deployment console = find(objects, Deployment.class, "console");
        Container container = console.getSpec().getTemplate().getSpec().getContainers().get(0);
        Map<String, String> consolePod = console.getSpec().getTemplate().getMetadata().getLabels();
        List<NetworkPolicy> policies = all(objects, NetworkPolicy.class);

        for (String name : SERVICES) {
            String variable = "CPR_CONSOLE_" + name.toUpperCase(Locale.ROOT).replace('-', '_') + "_URL";
            URI url = URI.create(envValue(objects, container, variable));
            Service service = find(objects, Service.class, name);
            Deployment deployment = find(objects, Deployment.class, name);
            assertThat(url.getHost()).as(variable + ": the Service's name in the namespace").isEqualTo(name);
            int port = url.getPort() == -1 ? 80 : url.getPort();
            assertThat(service.getSpec().getPorts()).as(variable + " port " + port).anySatisfy(p -> {
                assertThat(p.getPort()).isEqualTo(port);
                assertThat(p.getTargetPort().getStrVal()).isEqualTo("http");
            });
            assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts())
                    .extracting(ContainerPort::getName).contains("http");
            assertThat(admits(policies, deployment.getSpec().getTemplate().getMetadata().getLabels(), consolePod, "http"))
                    .as("a NetworkPolicy admits console -> " + name).isTrue();
            assertThat(secretRef(container, "CPR_AUTH_TOKENS")).as("the console checks " + name + "'s own tokens")
                    .isEqualTo(secretRef(deployment.getSpec().getTemplate().getSpec().getContainers().get(0), "CPR_AUTH_TOKENS"))
                    .isNotNull();
        }
        assertThat(policies).as("operators reach the console through the ingress controller").anySatisfy(p -> {
            assertThat(selects(p.getSpec().getPodSelector(), consolePod)).isTrue();
            assertThat(p.getSpec().getIngress()).flatExtracting(NetworkPolicyIngressRule::getFrom)
                    .anySatisfy(peer -> assertThat(peer.getNamespaceSelector().getMatchLabels())
                            .containsEntry("kubernetes.io/metadata.name", "ingress-nginx"));
        });
        assertThat(container.getEnvFrom()).as("the console takes its settings one by one, not the services' Kafka and"
                + " database").isEmpty();
        assertThat(container.getEnv()).extracting(EnvVar::getName)
                .noneMatch(n -> n.startsWith("KAFKA_") || n.startsWith("QUARKUS_DATASOURCE_"))
                .contains("CPR_INVENTORY_PATH");
        assertThat(find(objects, ServiceMonitor.class, "cpr").getSpec().getSelector().getMatchLabels().entrySet())
                .as("the console's metrics are scraped").isSubsetOf(find(objects, Service.class, "console").getMetadata()
                        .getLabels().entrySet());
    }

    @Test
    void theOidcSettingsAreEmptyByDefaultAndReachEveryServiceAndTheConsole() throws Exception {
        List<HasMetadata> objects = typedAll(render("base"));
        Map<String, String> env = find(objects, ConfigMap.class, "cpr-env").getData();

        // empty, not absent: SmallRye Config reads an empty variable as unset, so OIDC stays off
        assertThat(env).containsEntry("CPR_AUTH_OIDC_ISSUER", "").containsEntry("CPR_CONSOLE_OIDC_CLIENT_ID", "");
        for (String name : SERVICES) {
            Container container = find(objects, Deployment.class, name).getSpec().getTemplate().getSpec().getContainers().get(0);
            assertThat(container.getEnvFrom()).as(name + " reads all of cpr-env")
                    .anySatisfy(from -> assertThat(from.getConfigMapRef().getName()).isEqualTo("cpr-env"));
        }
        Container console = find(objects, Deployment.class, "console").getSpec().getTemplate().getSpec().getContainers().get(0);
        for (String variable : List.of("CPR_AUTH_OIDC_ISSUER", "CPR_CONSOLE_OIDC_CLIENT_ID", "CPR_CONSOLE_PUBLIC_URL")) {
            assertThat(console.getEnv()).as(variable).anySatisfy(e -> {
                assertThat(e.getName()).isEqualTo(variable);
                assertThat(e.getValueFrom().getConfigMapKeyRef().getName()).isEqualTo("cpr-env");
                assertThat(e.getValueFrom().getConfigMapKeyRef().getKey()).isEqualTo(variable);
            });
        }
        var secret = secretRef(console, "CPR_CONSOLE_OIDC_CLIENT_SECRET");
        assertThat(secret.getOptional()).as("the client secret is optional (a public client has none)").isTrue();
    }

    @Test
    void theConsoleIngressRoutesEveryPathOfTheConsoleButQOverHttpsAtItsPublicUrl() throws Exception {
        List<HasMetadata> objects = typedAll(render("base"));
        Ingress ingress = find(objects, Ingress.class, "console");
        Map<String, String> env = find(objects, ConfigMap.class, "cpr-env").getData();
        var rule = ingress.getSpec().getRules().get(0);

        List<String> routed = new ArrayList<>();
        for (var path : rule.getHttp().getPaths()) {
            assertThat(path.getBackend().getService().getName()).isEqualTo("console");
            assertThat(path.getPathType()).as(path.getPath()).isEqualTo(path.getPath().equals("/") ? "Exact" : "Prefix");
            routed.add(path.getPath());
        }
        assertThat(routed).as("the console's paths (its @Path roots and static files), /q left out")
                .containsExactlyInAnyOrderElementsOf(consoleRoots());
        assertThat(all(objects, Ingress.class)).flatExtracting(i -> i.getSpec().getRules())
                .flatExtracting(r -> r.getHttp().getPaths()).noneMatch(p -> p.getPath().startsWith("/q"));
        URI publicUrl = URI.create(env.get("CPR_CONSOLE_PUBLIC_URL"));
        assertThat(publicUrl.getScheme()).isEqualTo("https");
        assertThat(publicUrl.getHost()).as("the SSO redirect comes back through this Ingress").isEqualTo(rule.getHost());
        assertThat(ingress.getSpec().getTls()).anySatisfy(tls -> assertThat(tls.getHosts()).contains(rule.getHost()));
        assertThat(env).as("served over HTTPS: the login cookie is Secure").containsEntry("CPR_CONSOLE_SECURE_COOKIE", "true");
    }

    @Test
    void thePrometheusRuleHoldsExactlyTheAlertRulesFile() throws Exception {
        JsonNode rule = render("base").stream().filter(o -> "PrometheusRule".equals(o.path("kind").asText()))
                .findFirst().orElseThrow();
        JsonNode rulesFile = YAML.readTree(PrometheusRulesTest.PROMETHEUS.resolve("cpr-rules.yml").toFile());

        assertThat(rule.path("spec")).as("deploy/kubernetes/base/prometheus-rule.yaml spec vs cpr-rules.yml")
                .isEqualTo(rulesFile);
        ServiceMonitor monitor = find(typedAll(render("base")), ServiceMonitor.class, "cpr");
        assertThat(monitor.getSpec().getEndpoints()).allSatisfy(e -> assertThat(e.getPath()).isEqualTo("/q/metrics"));
    }

    @Test
    void inTheHaOverlayEveryReplicaIsScrapedLabelledWithItsPodName() throws Exception {
        List<HasMetadata> objects = typedAll(render("overlays/ha"));
        ServiceMonitor monitor = find(objects, ServiceMonitor.class, "cpr");

        // a ServiceMonitor's targets are the endpoints of the Services it selects, one per ready or unready pod: it
        // must select every service's Service, scrape them on their pods' port and label each with the pod's name
        for (String name : List.of("health-monitor", "backup-service", "restore-service", "notifier", "console")) {
            Service service = find(objects, Service.class, name);
            assertThat(monitor.getSpec().getSelector().getMatchLabels().entrySet()).as(name + "'s Service selected")
                    .isSubsetOf(service.getMetadata().getLabels().entrySet());
            assertThat(service.getSpec().getClusterIP()).as(name + " is a normal Service (endpoints per pod)")
                    .isNotEqualTo("None");
            assertThat(service.getSpec().getPorts()).extracting(p -> p.getName()).as(name).contains("http");
            assertThat(find(objects, Deployment.class, name).getSpec().getReplicas()).as(name).isEqualTo(2);
        }
        assertThat(monitor.getSpec().getEndpoints()).singleElement().satisfies(e -> {
            assertThat(e.getPort()).isEqualTo("http");
            assertThat(e.getRelabelings()).anySatisfy(r -> {
                assertThat(r.getSourceLabels()).containsExactly("__meta_kubernetes_pod_name");
                assertThat(r.getTargetLabel()).isEqualTo("replica");
            });
        });
    }

    @Test
    void anUnknownFieldIsCaught() throws IOException {
        // the check itself: a misspelt field (readinesProbe) must not pass silently into additionalProperties
        JsonNode object = YAML.readTree("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: x}
                spec:
                  selector: {matchLabels: {a: b}}
                  template:
                    metadata: {labels: {a: b}}
                    spec:
                      containers: [{name: x, image: x, readinesProbe: {httpGet: {path: /, port: 80}}}]
                """);

        try {
            typed(object);
        } catch (AssertionError expected) {
            assertThat(expected.getMessage()).contains("readinesProbe");
            return;
        }
        fail("readinesProbe was accepted");
    }

    // --- rendering and strict reading

    static List<JsonNode> render(String dir) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("kubectl", "kustomize", KUBERNETES.resolve(dir).toString())
                .redirectError(ProcessBuilder.Redirect.PIPE).start();
        byte[] out = process.getInputStream().readAllBytes();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("kubectl kustomize " + dir + ": " + err).isZero();
        try (YAMLParser parser = new YAMLFactory().createParser(out)) {
            return new ObjectMapper().readValues(parser, JsonNode.class).readAll();
        }
    }

    private static List<JsonNode> documents(java.io.File file) throws IOException {
        try (YAMLParser parser = new YAMLFactory().createParser(file)) {
            return new ObjectMapper().readValues(parser, JsonNode.class).readAll().stream()
                    .filter(n -> n != null && !n.isNull() && !n.isMissingNode()).toList();
        }
    }

    static HasMetadata typed(JsonNode object) {
        String key = object.path("apiVersion").asText() + "/" + object.path("kind").asText();
        Class<? extends HasMetadata> type = MODEL.get(key);
        if (type == null) {
            throw new AssertionError(describe(object) + ": " + key + " is not a kind this suite expects");
        }
        HasMetadata typed;
        try {
            typed = YAML.treeToValue(object, type);
        } catch (IOException e) {
            throw new AssertionError(describe(object) + ": " + e.getMessage(), e);
        }
        List<String> unknown = new ArrayList<>();
        unknownFields(typed, "", unknown, new IdentityHashMap<>());
        if (!unknown.isEmpty()) {
            throw new AssertionError(describe(object) + ": unknown fields " + unknown);
        }
        return typed;
    }

    /** The model keeps unknown fields in additionalProperties instead of failing: every one of them is an error here. */
    private static void unknownFields(Object value, String path, List<String> unknown, Map<Object, Boolean> seen) {
        if (value == null || seen.put(value, true) != null) {
            return;
        }
        if (value instanceof Collection<?> list) {
            int i = 0;
            for (Object item : list) {
                unknownFields(item, path + "[" + i++ + "]", unknown, seen);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> unknownFields(v, path + "." + k, unknown, seen));
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get") || getter.getName().equals("getClass")) {
                continue;
            }
            Object child;
            try {
                child = getter.invoke(value);
            } catch (ReflectiveOperationException e) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    unknown.add(path + ":" + extra.keySet());
                }
            } else if (!(value instanceof io.fabric8.kubernetes.api.model.ObjectMeta && (getter.getName().equals("getLabels")
                    || getter.getName().equals("getAnnotations")))) {
                unknownFields(child, path + "." + fieldName(getter), unknown, seen);
            }
        }
    }

    private static String fieldName(Method getter) {
        String name = getter.getName().substring(3);
        return Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }

    private static List<HasMetadata> typedAll(List<JsonNode> objects) {
        return objects.stream().map(KubernetesManifestsTest::typed).collect(Collectors.toList());
    }

    private static <T extends HasMetadata> List<T> all(List<HasMetadata> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static <T extends HasMetadata> T find(List<HasMetadata> objects, Class<T> type, String name) {
        return all(objects, type).stream().filter(o -> name.equals(o.getMetadata().getName())).findFirst()
                .orElseThrow(() -> new AssertionError(type.getSimpleName() + " " + name + " is not rendered"));
    }

    private static boolean secretHas(List<Secret> secrets, String name, String key) {
        return secrets.stream().filter(s -> s.getMetadata().getName().equals(name))
                .anyMatch(s -> Optional.ofNullable(s.getStringData()).map(d -> d.containsKey(key)).orElse(false)
                        || Optional.ofNullable(s.getData()).map(d -> d.containsKey(key)).orElse(false));
    }

    /** Whether {@code dir} lies under a mount of a ReadWriteMany claim in this pod. */
    private static boolean sharedMountHolding(List<HasMetadata> objects, PodSpec pod, String dir) {
        Set<String> sharedVolumes = pod.getVolumes().stream().filter(v -> v.getPersistentVolumeClaim() != null)
                .filter(v -> find(objects, PersistentVolumeClaim.class, v.getPersistentVolumeClaim().getClaimName())
                        .getSpec().getAccessModes().contains("ReadWriteMany"))
                .map(Volume::getName).collect(Collectors.toSet());
        return dir != null && pod.getContainers().get(0).getVolumeMounts().stream()
                .filter(m -> sharedVolumes.contains(m.getName()))
                .anyMatch(m -> dir.startsWith(m.getMountPath() + "/") || dir.equals(m.getMountPath()));
    }

    /** The value of a variable as the pod gets it: literal, or by key from a rendered ConfigMap. */
    private static String envValue(List<HasMetadata> objects, Container container, String name) {
        EnvVar env = container.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(container.getName() + " has no " + name));
        if (env.getValueFrom() == null) {
            return env.getValue();
        }
        var ref = env.getValueFrom().getConfigMapKeyRef();
        assertThat(ref).as(name + " from a ConfigMap").isNotNull();
        return find(objects, ConfigMap.class, ref.getName()).getData().get(ref.getKey());
    }

    private static SecretKeySelector secretRef(Container container, String name) {
        return container.getEnv().stream().filter(e -> e.getName().equals(name) && e.getValueFrom() != null)
                .map(e -> e.getValueFrom().getSecretKeyRef()).findFirst().orElse(null);
    }

    /** Whether a selector picks a pod with these labels (an empty selector picks every pod, as in the API). */
    private static boolean selects(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return false;
        }
        Map<String, String> match = Optional.ofNullable(selector.getMatchLabels()).orElse(Map.of());
        if (!labels.entrySet().containsAll(match.entrySet())) {
            return false;
        }
        for (LabelSelectorRequirement requirement : Optional.ofNullable(selector.getMatchExpressions())
                .orElse(List.of())) {
            String value = labels.get(requirement.getKey());
            boolean holds = switch (requirement.getOperator()) {
                case "In" -> value != null && requirement.getValues().contains(value);
                case "NotIn" -> value == null || !requirement.getValues().contains(value);
                case "Exists" -> value != null;
                case "DoesNotExist" -> value == null;
                default -> throw new AssertionError("operator " + requirement.getOperator());
            };
            if (!holds) {
                return false;
            }
        }
        return true;
    }

    /** Whether some policy lets a pod of this namespace labelled {@code from} reach one labelled {@code to} on a port. */
    private static boolean admits(List<NetworkPolicy> policies, Map<String, String> to, Map<String, String> from, String port) {
        return policies.stream().filter(p -> selects(p.getSpec().getPodSelector(), to))
                .flatMap(p -> Optional.ofNullable(p.getSpec().getIngress()).orElse(List.of()).stream())
                .filter(rule -> rule.getPorts() == null || rule.getPorts().isEmpty() || rule.getPorts().stream()
                        .anyMatch(p -> p.getPort() == null || port.equals(p.getPort().getStrVal())))
                .anyMatch(rule -> rule.getFrom() == null || rule.getFrom().isEmpty() || rule.getFrom().stream()
                        .anyMatch(peer -> peer.getNamespaceSelector() == null && peer.getIpBlock() == null
                                && selects(peer.getPodSelector(), from)));
    }

    /**
     * The first path segment of every JAX-RS resource of the console ({@code /} for the dashboard itself) and of every
     * static file it serves: what an Ingress must route for the whole console to work from outside.
     */
    private static Set<String> consoleRoots() throws IOException {
        Path console = QuarkusApps.ROOT.resolve("console/src/main");
        Set<String> roots = new TreeSet<>();
        try (Stream<Path> sources = Files.walk(console.resolve("java"))) {
            for (Path source : sources.filter(f -> f.toString().endsWith(".java")).toList()) {
                String text = Files.readString(source);
                Matcher declaration = CLASS.matcher(text);
                int classAt = declaration.find() ? declaration.start() : 0;
                String base = "";
                List<String> methods = new ArrayList<>();
                Matcher path = PATH.matcher(text);
                while (path.find()) {
                    if (path.start() < classAt) {
                        base = path.group(1);
                    } else {
                        methods.add(path.group(1));
                    }
                }
                if (base.isEmpty() && methods.isEmpty()) {
                    continue;
                }
                // the class's own path too: a method without @Path (the dashboard's overview) serves it
                methods.add("");
                for (String method : methods) {
                    String first = Stream.of((base + "/" + method).split("/")).filter(s -> !s.isEmpty()).findFirst()
                            .orElse("");
                    roots.add("/" + first);
                }
            }
        }
        try (Stream<Path> files = Files.list(console.resolve("resources/META-INF/resources"))) {
            files.forEach(f -> roots.add("/" + f.getFileName()));
        }
        return roots;
    }

    private static String describe(JsonNode object) {
        return object.path("kind").asText() + " " + object.path("metadata").path("name").asText();
    }
}
