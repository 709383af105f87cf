package dev.cpr.sandbox.bosh;

import dev.cpr.sandbox.TestDirs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.cpr.bosh.BoshAuthenticationException;
import dev.cpr.bosh.BoshDirectorClient;
import dev.cpr.bosh.BoshDirectorConfig;
import dev.cpr.bosh.BoshDirectorException;
import dev.cpr.bosh.BoshInfo;
import dev.cpr.bosh.BoshInstance;
import dev.cpr.bosh.BoshProblem;
import dev.cpr.bosh.BoshTask;
import dev.cpr.bosh.BoshTimeoutException;
import dev.cpr.bosh.BoshUnreachableException;
import dev.cpr.bosh.InstanceAction;
import dev.cpr.bosh.InstanceState;
import dev.cpr.bosh.TaskEvents;
import dev.cpr.sandbox.etcd.EtcdCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** cpr's BOSH client against the director simulator, backed by a real 3-member etcd cluster. */
class BoshDirectorSimulatorTest {

    static final String DEPLOYMENT = "service-instance_56c19cfc-d5d7-4e11-aee2-78c81f4e7ad4";
    private static final Path BASE = TestDirs.fresh("bosh");

    private static EtcdCluster cluster;
    private static BoshDirectorSimulator director;
    private BoshDirectorClient client = newClient(director);

    @BeforeAll
    static void start() {
        long t0 = System.nanoTime();
        cluster = EtcdCluster.start(BASE.resolve("etcd"), "bosh-sim", 3);
        director = BoshDirectorSimulator.start(cluster, DEPLOYMENT, BASE.resolve("director"));
        System.out.printf("[timing] etcd + BOSH simulator up in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    }

    @AfterAll
    static void stop() {
        if (director != null) {
            director.close();
        }
        if (cluster != null) {
            cluster.close();
            cluster.deleteData();
        }
    }

    @AfterEach
    void everyMasterRunningAgain() {
        director.stopHanging();
        director.directorUp();
        director.rejectTokens(false);
        for (InstanceRecord r : director.instances()) {
            if (r.vmCid() == null || !"started".equals(r.desiredState()) || !cluster.isHealthy(r.member() == null
                    ? cluster.members().get(0).name() : r.member())) {
                if (r.group().equals("master")) {
                    client.changeInstanceState(DEPLOYMENT, "master", r.id(), InstanceState.RECREATE);
                }
            }
        }
        cluster.awaitHealthy(Duration.ofSeconds(20));
    }

    static BoshDirectorClient newClient(BoshDirectorSimulator sim) {
        return new BoshDirectorClient(BoshDirectorConfig.of(sim.url(), sim.options().client(),
                        sim.options().clientSecret())
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(20))
                .withTaskPolling(Duration.ofMillis(50), Duration.ofSeconds(60)));
    }

    private BoshInstance instance(String group, int index) {
        return client.instances(DEPLOYMENT).stream()
                .filter(i -> i.jobName().equals(group) && i.index() == index).findFirst().orElseThrow();
    }

    @Test
    void infoNeedsNoAuthAndNamesTheUaa() {
        BoshInfo info = client.info();

        assertThat(info.userAuthentication().isUaa()).isTrue();
        assertThat(info.userAuthentication().uaaUrl()).isEqualTo(director.url() + "/uaa");
        assertThat(info.uuid()).isNotBlank();
        assertThat(client.tokensFetched()).isZero();
    }

    @Test
    void listsTheDeploymentAndEveryInstanceRunningWithTheSeedsShape() {
        assertThat(client.deployments()).extracting(d -> d.name()).containsExactly(DEPLOYMENT);

        List<BoshInstance> instances = client.instances(DEPLOYMENT);

        assertThat(instances).extracting(BoshInstance::jobName).containsExactly("master", "master", "master", "worker");
        assertThat(instances).allSatisfy(i -> {
            assertThat(i.isHealthy()).as(i.label()).isTrue();
            assertThat(i.vmCid()).isNotNull();
            assertThat(i.id()).matches("[0-9a-f-]{36}");
            assertThat(i.state()).isEqualTo("started");
        });
        assertThat(instances.get(0).bootstrap()).isTrue();
        assertThat(instances.get(0).processes()).extracting(BoshInstance.Process::name).contains("etcd",
                "kube-apiserver");
        assertThat(client.vms(DEPLOYMENT)).hasSize(4);
    }

    @Test
    void aUaaTokenIsCachedAndFetchedAgainOnceWhenTheDirectorAnswers401() {
        client.deployments();
        client.deployments();
        assertThat(client.tokensFetched()).isEqualTo(1);

        director.expireTokens();

        assertThat(client.deployments()).hasSize(1);
        assertThat(client.tokensFetched()).isEqualTo(2);
    }

    @Test
    void aDirectorThatRefusesEvenAFreshTokenGivesAClearAuthenticationError() {
        director.rejectTokens(true);

        assertThatThrownBy(() -> client.deployments())
                .isInstanceOf(BoshAuthenticationException.class)
                .hasMessageContaining("GET /deployments")
                .hasMessageContaining("freshly fetched UAA token")
                .hasMessageContaining("ops_manager");
        assertThat(client.tokensFetched()).isEqualTo(2);
    }

    @Test
    void aWrongClientSecretIsRefusedByTheUaa() {
        BoshDirectorClient wrong = new BoshDirectorClient(BoshDirectorConfig.of(director.url(), "ops_manager", "nope"));

        assertThatThrownBy(wrong::deployments)
                .isInstanceOf(BoshAuthenticationException.class)
                .hasMessageContaining("refused client 'ops_manager'");
    }

    @Test
    void basicAuthWhenInfoSaysBasic() {
        try (BoshDirectorSimulator basic = BoshDirectorSimulator.start(cluster, DEPLOYMENT, BASE.resolve("basic"),
                BoshDirectorSimulator.Options.defaults().withAuth(BoshDirectorSimulator.Auth.BASIC))) {
            BoshDirectorClient basicClient = newClient(basic);

            assertThat(basicClient.info().userAuthentication().type()).isEqualTo("basic");
            assertThat(basicClient.instances(DEPLOYMENT)).hasSize(4);
            assertThat(basicClient.tokensFetched()).isZero();
            assertThatThrownBy(() -> new BoshDirectorClient(BoshDirectorConfig.of(basic.url(), "ops_manager", "x"))
                    .deployments())
                    .isInstanceOf(BoshAuthenticationException.class).hasMessageContaining("basic auth");
        }
    }

    @Test
    void aKilledMemberMakesItsMasterFailingWhileTheOthersRun() {
        director.failJob("master/1");

        // killing a member may cost an election: the others are healthy again within a second or two
        List<BoshInstance> instances = await().atMost(Duration.ofSeconds(10))
                .until(() -> client.instances(DEPLOYMENT), l -> l.get(0).isHealthy() && l.get(2).isHealthy());

        BoshInstance failed = instances.get(1);
        assertThat(failed.jobState()).isEqualTo("failing");
        assertThat(failed.isHealthy()).isFalse();
        assertThat(failed.unhealthyProcesses()).extracting(BoshInstance.Process::name).containsExactly("etcd");
        assertThat(failed.vmCid()).as("the VM is still there").isNotNull();
        assertThat(instances.get(3).jobState()).as("worker").isEqualTo("running");
    }

    @Test
    void cloudCheckFindsAMissingVmAndRecreateVmBringsTheMasterBackRunning() {
        InstanceRecord master = director.instance("master/2");
        client.deleteVm(master.vmCid());
        assertThat(instance("master", 2).vmCid()).isNull();
        assertThat(instance("master", 2).jobState()).isNull();
        assertThat(cluster.isHealthy(master.member())).isFalse();

        BoshTask scan = client.scan(DEPLOYMENT);
        List<BoshProblem> problems = client.problems(DEPLOYMENT);

        assertThat(scan.result()).isEqualTo("scan complete");
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.type()).isEqualTo(BoshProblem.MISSING_VM);
            assertThat(p.description()).isEqualTo("VM for '" + master.label() + "' missing.");
            assertThat(p.instanceGroup()).isEqualTo("master");
            assertThat(p.offers(BoshProblem.RECREATE_VM)).isTrue();
        });

        BoshTask resolved = client.resolveProblems(DEPLOYMENT, Map.of(problems.get(0).id(), BoshProblem.RECREATE_VM));

        assertThat(resolved.result()).isEqualTo("1 resolved");
        BoshInstance back = instance("master", 2);
        assertThat(back.isHealthy()).isTrue();
        assertThat(back.vmCid()).isNotNull().isNotEqualTo(master.vmCid());
        assertThat(client.problems(DEPLOYMENT)).isEmpty();
    }

    @Test
    void anUnresponsiveAgentIsReportedAndRecreatedThroughCloudCheck() {
        director.unresponsiveAgent("master/0");
        assertThat(instance("master", 0).isAgentUnresponsive()).isTrue();

        client.scan(DEPLOYMENT);
        BoshProblem problem = client.problems(DEPLOYMENT).get(0);

        assertThat(problem.type()).isEqualTo(BoshProblem.UNRESPONSIVE_AGENT);
        assertThat(problem.offers("reboot_vm")).isTrue();
        client.resolveProblems(DEPLOYMENT, Map.of(problem.id(), BoshProblem.RECREATE_VM));
        assertThat(instance("master", 0).isHealthy()).isTrue();
    }

    @Test
    void stopAndStartAnInstanceAndRestartWithANonConvergingAction() {
        String id = director.instance("master/1").id();

        client.changeInstanceState(DEPLOYMENT, "master", id, InstanceState.STOPPED);
        BoshInstance stopped = instance("master", 1);
        assertThat(stopped.state()).isEqualTo("stopped");
        assertThat(stopped.jobState()).isEqualTo("stopped");

        client.changeInstanceState(DEPLOYMENT, "master", "1", InstanceState.STARTED);
        assertThat(instance("master", 1).isHealthy()).isTrue();

        BoshTask restart = client.instanceAction(DEPLOYMENT, "master", id, InstanceAction.RESTART, false);
        assertThat(restart.description()).isEqualTo("restart instance master/" + id);
        assertThat(instance("master", 1).isHealthy()).isTrue();
    }

    @Test
    void taskEventOutputIsReadByByteRange() {
        long task = client.submitScan(DEPLOYMENT);
        client.awaitTask(task);

        TaskEvents first = client.taskEvents(task, 0);
        TaskEvents none = client.taskEvents(task, first.nextOffset());

        assertThat(first.lines()).isNotEmpty().allSatisfy(line -> assertThat(line).contains("\"stage\""));
        assertThat(first.content()).contains("Checking VM states");
        assertThat(none.isEmpty()).isTrue();
        assertThat(none.nextOffset()).isEqualTo(first.nextOffset());
        TaskEvents tail = client.taskEvents(task, first.nextOffset() - 10);
        assertThat(tail.content()).hasSize(10);
    }

    @Test
    void directorErrorsCarryTheirCodeDescriptionAndStatus() {
        assertThatThrownBy(() -> client.instances("nope"))
                .isInstanceOfSatisfying(BoshDirectorException.class, e -> {
                    assertThat(e.code()).isEqualTo(BoshDirectorException.DEPLOYMENT_NOT_FOUND);
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.description()).isEqualTo("Deployment 'nope' doesn't exist");
                });
        assertThatThrownBy(() -> client.changeInstanceState(DEPLOYMENT, "master", "7", InstanceState.RESTART))
                .isInstanceOfSatisfying(BoshDirectorException.class,
                        e -> assertThat(e.code()).isEqualTo(BoshDirectorException.INSTANCE_NOT_FOUND));
        assertThatThrownBy(() -> client.changeInstanceState(DEPLOYMENT, "master", "abc", InstanceState.RESTART))
                .isInstanceOfSatisfying(BoshDirectorException.class, e -> {
                    assertThat(e.code()).isEqualTo(BoshDirectorException.INSTANCE_INVALID_INDEX);
                    assertThat(e.status()).isEqualTo(400);
                });
        assertThatThrownBy(() -> client.task(999_999))
                .isInstanceOfSatisfying(BoshDirectorException.class,
                        e -> assertThat(e.code()).isEqualTo(BoshDirectorException.TASK_NOT_FOUND));
    }

    @Test
    void aClientNotAuthorizedForTheDeploymentGets600000() {
        director.addClient("reader", "reader-secret", false);
        BoshDirectorClient reader = new BoshDirectorClient(BoshDirectorConfig.of(director.url(), "reader",
                "reader-secret"));

        assertThat(reader.deployments()).isEmpty();
        assertThatThrownBy(() -> reader.problems(DEPLOYMENT))
                .isInstanceOfSatisfying(BoshDirectorException.class, e -> {
                    assertThat(e.code()).isEqualTo(BoshDirectorException.UNAUTHORIZED);
                    assertThat(e.status()).isEqualTo(401);
                });
    }

    @Test
    void a500SurfacesAsADirectorExceptionAndTheNextCallWorks() {
        director.failNext(1);

        assertThatThrownBy(() -> client.deployments())
                .isInstanceOfSatisfying(BoshDirectorException.class, e -> {
                    assertThat(e.status()).isEqualTo(500);
                    assertThat(e.call()).isEqualTo("GET /deployments");
                });
        assertThat(client.deployments()).hasSize(1);
    }

    @Test
    void anUnknownRouteIsAPlainText404AsTheDirectorAnswersIt() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(director.url() + "/nope")).header("Authorization", "Basic eDp5").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(401);

        client.deployments(); // authenticated from here on: the route itself is unknown
        BoshDirectorSimulator.Options o = director.options();
        String token = new com.fasterxml.jackson.databind.ObjectMapper().readTree(HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(director.uaaUrl() + "/oauth/token"))
                        .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                                (o.client() + ":" + o.clientSecret()).getBytes()))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).get("access_token").asText();
        HttpResponse<String> unknown = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(director.url() + "/nope")).header("Authorization", "bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).isEqualTo("Endpoint '/nope' not found.");
    }

    @Test
    void aNonConvergingRecreateKeepsTheMasterRunning() {
        String id = director.instance("master/0").id();
        String vmBefore = director.instance("master/0").vmCid();

        BoshTask task = client.instanceAction(DEPLOYMENT, "master", id, InstanceAction.RECREATE, false);

        assertThat(task.isSucceeded()).isTrue();
        assertThat(instance("master", 0).vmCid()).isNotEqualTo(vmBefore);
        assertThat(instance("master", 0).isHealthy()).isTrue();
    }

    @Test
    void aHangingDirectorFailsWithATimeoutNamingTheCall() {
        BoshDirectorClient impatient = new BoshDirectorClient(BoshDirectorConfig.of(director.url(), "ops_manager",
                director.options().clientSecret()).withTimeouts(Duration.ofSeconds(1), Duration.ofMillis(500)));
        director.hang();

        long t0 = System.nanoTime();
        assertThatThrownBy(impatient::info)
                .isInstanceOf(BoshTimeoutException.class)
                .hasMessageContaining("GET /info")
                .hasMessageContaining("no answer within PT0.5S");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aDownDirectorIsUnreachableUntilItComesBack() {
        director.directorDown();

        assertThatThrownBy(() -> newClient(director).info())
                .isInstanceOf(BoshUnreachableException.class)
                .hasMessageContaining("GET /info")
                .hasMessageContaining("cannot connect");

        director.directorUp();
        await().atMost(Duration.ofSeconds(5)).until(() -> newClient(director).info().name() != null);
    }
}
