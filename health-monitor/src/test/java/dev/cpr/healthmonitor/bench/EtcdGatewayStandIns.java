package dev.cpr.healthmonitor.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/**
 * Stand-ins for etcd members in a process of their own (so that their CPU is not the monitor's): one HTTP port per
 * member answering what health-monitor asks of etcd's JSON gateway, in etcd's shapes: {@code GET /health},
 * {@code POST /v3/maintenance/status}, {@code /v3/cluster/member/list}, {@code /v3/maintenance/alarm}, and a
 * {@code POST /v3/watch} stream that answers {@code created} and stays open. Members are grouped in clusters of
 * {@code clusterSize}, consecutive ports; the first member of each is its leader. They never fail: the benchmark
 * measures the cost of watching healthy members, which is what a monitor does almost all the time.
 *
 * <p>{@code java ... EtcdGatewayStandIns <count> <clusterSize> <firstPort> [<firstMember>]}; prints "ready" when every
 * port listens. {@code firstMember} (a multiple of {@code clusterSize}, default 0) numbers the members of a second or
 * third process on from where the one before stopped, so that several processes share the server sockets of many
 * members (each process has its own open-file limit).
 */
public final class EtcdGatewayStandIns {

    private EtcdGatewayStandIns() {
    }

    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args[0]);
        int clusterSize = Integer.parseInt(args[1]);
        int firstPort = Integer.parseInt(args[2]);
        int firstMember = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        Vertx vertx = Vertx.vertx();
        List<CompletableFuture<HttpServer>> listening = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int member = i;
            int leader = i - i % clusterSize;
            JsonObject status = new JsonObject()
                    .put("header", new JsonObject().put("member_id", id(firstMember + member)).put("revision", "4242"))
                    .put("leader", id(firstMember + leader)).put("raftIndex", "9000").put("dbSize", "2097152");
            JsonArray members = new JsonArray();
            for (int m = leader; m < Math.min(count, leader + clusterSize); m++) {
                members.add(new JsonObject().put("ID", id(firstMember + m)).put("name", "m" + (firstMember + m)));
            }
            String memberList = new JsonObject().put("members", members).encode();
            String statusBody = status.encode();
            HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1"))
                    .requestHandler(request -> {
                        switch (request.path()) {
                            case "/health" -> request.response().end("{\"health\":\"true\",\"reason\":\"\"}");
                            case "/v3/maintenance/status" -> request.response().end(statusBody);
                            case "/v3/cluster/member/list" -> request.response().end(memberList);
                            case "/v3/maintenance/alarm" -> request.response().end("{\"header\":{}}");
                            case "/v3/watch" -> request.response().setChunked(true)
                                    .write("{\"result\":{\"header\":{},\"created\":true}}");
                            default -> request.response().setStatusCode(404).end();
                        }
                    });
            listening.add(server.listen(firstPort + i).toCompletionStage().toCompletableFuture());
        }
        CompletableFuture.allOf(listening.toArray(CompletableFuture[]::new)).join();
        System.out.println("ready");
        System.out.flush();
        new CountDownLatch(1).await(); // until the benchmark destroys this process
    }

    private static String id(int member) {
        return Long.toUnsignedString(0x1000_0000L + member);
    }
}
