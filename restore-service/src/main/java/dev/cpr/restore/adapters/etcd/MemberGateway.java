package dev.cpr.restore.adapters.etcd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cpr.restore.domain.etcd.EtcdAdmin.MemberSpace;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * What a member tells over plain HTTP(S) rather than gRPC: its v3 JSON gateway's status (jetcd 0.7.7's status does
 * not carry {@code dbSizeInUse}), {@code /version}'s cluster version and {@code /metrics}' quota. Each read is one
 * member's answer or empty: a member that does not answer is the caller's to judge.
 */
final class MemberGateway {

    private static final Logger LOG = Logger.getLogger(MemberGateway.class);
    private static final Pattern QUOTA = Pattern.compile("(?m)^etcd_server_quota_backend_bytes\\s+(\\S+)$");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MemberConnections connections;
    private final Duration timeout;

    MemberGateway(MemberConnections connections, Duration timeout) {
        this.connections = connections;
        this.timeout = timeout;
    }

    Optional<MemberSpace> space(String clientUrl) {
        return read("space", clientUrl, "/v3/maintenance/status", HttpRequest.BodyPublishers.ofString("{}"), body -> {
            JsonNode json = JSON.readTree(body);
            String memberId = json.path("header").path("member_id").asText("");
            String leader = json.path("leader").asText("");
            return Optional.of(new MemberSpace(clientUrl, json.path("dbSize").asLong(-1),
                    json.path("dbSizeInUse").asLong(-1), !leader.isEmpty() && !"0".equals(leader) && leader.equals(memberId)));
        });
    }

    Optional<String> clusterVersion(String clientUrl) {
        return read("cluster version", clientUrl, "/version", null, body -> {
            String cluster = JSON.readTree(body).path("etcdcluster").asText("");
            return cluster.isEmpty() ? Optional.empty() : Optional.of(cluster);
        });
    }

    Optional<Long> quotaBytes(String clientUrl) {
        return read("quota metric", clientUrl, "/metrics", null, body -> {
            Matcher m = QUOTA.matcher(body);
            return m.find() ? Optional.of((long) Double.parseDouble(m.group(1))) : Optional.empty();
        });
    }

    private interface Answer<T> {
        Optional<T> read(String body) throws IOException;
    }

    /**
     * What {@code answer} reads from a 200 answer to GET (or POST of {@code post}) {@code path}; empty for any other
     * status, no answer, or a body it cannot read.
     */
    private <T> Optional<T> read(String what, String clientUrl, String path, HttpRequest.BodyPublisher post,
            Answer<T> answer) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base(clientUrl) + path))
                    .timeout(timeout.plusSeconds(1));
            request = post == null ? request.GET() : request.POST(post);
            // with the member's client certificate where it serves TLS, as every other call to it
            HttpResponse<String> response = connections.http(clientUrl).send(request.build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? answer.read(response.body()) : Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            LOG.debugf("%s of %s: %s", what, clientUrl, e.toString());
            return Optional.empty();
        }
    }

    private static String base(String clientUrl) {
        return clientUrl.endsWith("/") ? clientUrl.substring(0, clientUrl.length() - 1) : clientUrl;
    }
}
