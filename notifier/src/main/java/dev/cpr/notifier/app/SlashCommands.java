package dev.cpr.notifier.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cpr.contracts.events.EventCodec;
import dev.cpr.contracts.recovery.PlanNames;
import dev.cpr.notifier.config.ServiceSettings;
import dev.cpr.notifier.domain.NotificationKind;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * {@code /cpr status [cluster]} answers from notifier's own tables (the latest incident and plan per cluster it has
 * shown); {@code /cpr backup <cluster>} and {@code /cpr recover <cluster> <plan>} call backup-service
 * {@code POST /api/v1/backups} and restore-service {@code POST /api/v1/recoveries} with the service token. Answers
 * are ephemeral (only the person who typed the command sees them).
 */
@ApplicationScoped
public class SlashCommands {

    private static final Logger LOG = Logger.getLogger(SlashCommands.class);
    static final String USAGE = "Usage: `/cpr status [cluster]`, `/cpr backup <cluster>`, "
            + "`/cpr recover <cluster> <plan> [member]`, `/cpr recover <cluster> " + PlanNames.ETCD_POINT_IN_TIME_RESTORE
            + " <revision or ISO-8601 time>`";

    /**
     * A command's words; {@code error} says what is wrong with them. {@code target} is the point a point-in-time
     * restore goes back to: a revision (digits) or a time, passed on for restore-service to check.
     */
    public record Parsed(String verb, String cluster, String plan, String member, String target, String error) {

        Parsed(String verb, String cluster, String plan, String error) {
            this(verb, cluster, plan, null, null, error);
        }

        Parsed(String verb, String cluster, String plan, String member, String error) {
            this(verb, cluster, plan, member, null, error);
        }

        boolean needsApprover() {
            return error == null && ("backup".equals(verb) || "recover".equals(verb));
        }
    }

    private final SlackMessages messages;
    private final ServiceSettings services;
    private final HttpClient http;

    SlashCommands(SlackMessages messages, ServiceSettings services) {
        this.messages = messages;
        this.services = services;
        this.http = HttpClient.newBuilder().connectTimeout(services.callTimeout()).build();
    }

    static Parsed parse(String text) {
        String[] words = text == null ? new String[0] : text.trim().split("\\s+");
        String verb = words.length == 0 || words[0].isEmpty() ? "" : words[0].toLowerCase(java.util.Locale.ROOT);
        return switch (verb) {
            case "status" -> words.length <= 2 ? new Parsed(verb, words.length == 2 ? words[1] : null, null, null)
                    : new Parsed(verb, null, null, "`/cpr status` takes at most one cluster");
            case "backup" -> words.length == 2 ? new Parsed(verb, words[1], null, null)
                    : new Parsed(verb, null, null, "`/cpr backup` takes exactly one cluster");
            case "recover" -> recover(words);
            default -> new Parsed(verb.isEmpty() ? null : verb, null, null,
                    verb.isEmpty() ? "no command given" : "unknown command `" + verb + "`");
        };
    }

    Uni<SlackReply> run(Parsed parsed, String userId) {
        if (parsed.error() != null) {
            return Uni.createFrom().item(SlackReply.of(200, parsed.error() + ". " + USAGE));
        }
        return switch (parsed.verb()) {
            case "status" -> status(parsed.cluster());
            case "backup" -> Contexts.blocking(() -> call("backup-service", services.backupServiceUrl(),
                    "/api/v1/backups", JsonNodeFactory.instance.objectNode().put("cluster", parsed.cluster()),
                    body -> "Backup " + body.path("backupId").asText("?") + " of *" + parsed.cluster()
                            + "* started (" + body.path("status").asText("requested") + ").", parsed));
            case "recover" -> Contexts.blocking(() -> call("restore-service", services.restoreServiceUrl(),
                    "/api/v1/recoveries", recoverRequest(parsed),
                    body -> "Recovery `" + parsed.plan() + "` of *" + parsed.cluster() + "* requested: plan "
                            + body.path("id").asText(body.path("planId").asText("?")) + " "
                            + body.path("state").asText("") + ".", parsed));
            default -> Uni.createFrom().item(SlackReply.of(200, USAGE));
        };
    }

    private static Parsed recover(String[] words) {
        if (words.length < 3 || words.length > 4) {
            return new Parsed("recover", null, null, "`/cpr recover` takes a cluster, a plan and optionally a member");
        }
        String fourth = words.length == 4 ? words[3] : null;
        if (!words[2].equals(PlanNames.ETCD_POINT_IN_TIME_RESTORE)) {
            return new Parsed("recover", words[1], words[2], fourth, null);
        }
        return fourth == null
                ? new Parsed("recover", null, null, "`/cpr recover <cluster> " + PlanNames.ETCD_POINT_IN_TIME_RESTORE
                        + "` needs the point to go back to: a revision or an ISO-8601 time")
                : new Parsed("recover", words[1], words[2], null, fourth, null);
    }

    /**
     * restore-service's {@code POST /api/v1/recoveries} body: {@code cluster}, {@code plan}, {@code member}?, and a
     * point-in-time restore's {@code targetRevision} (all digits) or {@code targetTime}.
     */
    static ObjectNode recoverRequest(Parsed parsed) {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("cluster", parsed.cluster()).put("plan", parsed.plan());
        if (parsed.member() != null) {
            body.put("member", parsed.member());
        }
        if (parsed.target() != null && parsed.target().chars().allMatch(Character::isDigit)) {
            body.put("targetRevision", Long.parseLong(parsed.target()));
        } else if (parsed.target() != null) {
            body.put("targetTime", parsed.target());
        }
        return body;
    }

    // ------------------------------------------------------------------ status

    private Uni<SlackReply> status(String cluster) {
        return Panache.withSession(() -> messages.latestPerCluster(cluster, 200)).map(list -> {
            Map<String, List<StoredMessage>> byCluster = new LinkedHashMap<>();
            for (StoredMessage m : list) {
                byCluster.computeIfAbsent(m.clusterId(), c -> new ArrayList<>()).add(m);
            }
            if (byCluster.isEmpty()) {
                return SlackReply.of(200, cluster == null ? "cpr has not seen any incident or plan yet."
                        : "cpr has not seen any incident or plan on *" + cluster + "*.");
            }
            StringBuilder text = new StringBuilder();
            byCluster.forEach((id, rows) -> text.append(statusLine(id, rows)).append('\n'));
            return SlackReply.of(200, text.toString().stripTrailing());
        });
    }

    static String statusLine(String cluster, List<StoredMessage> newestFirst) {
        Optional<StoredMessage> incident = newestFirst.stream()
                .filter(m -> m.kind() == NotificationKind.INCIDENT).findFirst();
        Optional<StoredMessage> plan = newestFirst.stream()
                .filter(m -> m.kind() == NotificationKind.PROGRESS).findFirst();
        StringBuilder line = new StringBuilder("*").append(cluster).append("*: ");
        line.append(incident.map(i -> "incident `" + i.incidentId() + "` " + i.state()
                + failure(i.incidentJson())).orElse("no incident seen"));
        plan.ifPresent(p -> line.append(" · plan `").append(p.planId()).append("` ").append(planName(p.updateJson()))
                .append(p.state()).append(p.decision() == null ? ""
                        : " (" + p.decision().toLowerCase() + " by <@" + p.decidedBy() + ">)"));
        return line.toString();
    }

    private static String failure(String incidentJson) {
        JsonNode node = read(incidentJson);
        return node == null || node.path("failure").isMissingNode() ? "" : " (" + node.path("failure").asText() + ")";
    }

    private static String planName(String updateJson) {
        JsonNode node = read(updateJson);
        return node == null || node.path("plan").asText("").isEmpty() ? "" : node.path("plan").asText() + " ";
    }

    private static JsonNode read(String json) {
        try {
            return json == null ? null : EventCodec.mapper().readTree(json);
        } catch (IOException e) {
            return null;
        }
    }

    // ------------------------------------------------------------------ calls to other services

    private SlackReply call(String service, Optional<String> baseUrl, String path, ObjectNode request,
            java.util.function.Function<JsonNode, String> success, Parsed parsed) {
        String ctx = "cluster=" + parsed.cluster() + " command=" + parsed.verb();
        if (baseUrl.filter(u -> !u.isBlank()).isEmpty()) {
            return failed(service + " is not configured for Slack commands (cpr.notifier."
                    + (service.startsWith("backup") ? "backup" : "restore") + "-service-url).", ctx);
        }
        String url = baseUrl.get().replaceAll("/+$", "") + path;
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url))
                .timeout(services.callTimeout())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(request.toString()));
        services.serviceToken().filter(t -> !t.isBlank()).ifPresent(t -> builder.header("Authorization", "Bearer " + t));
        try {
            HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            JsonNode body = read(response.body());
            if (status >= 200 && status < 300) {
                LOG.infof("%s accepted %s (HTTP %d, %s)", service, path, status, ctx);
                return SlackReply.of(200, success.apply(body == null ? JsonNodeFactory.instance.objectNode()
                        : body));
            }
            String detail = body == null ? "" : body.path("detail").asText("");
            if (status == 404 && detail.isEmpty()) {
                return failed(service + " does not offer " + path + " (HTTP 404): not available in this version.", ctx);
            }
            return failed(service + " refused: HTTP " + status + (detail.isEmpty() ? "" : ": " + detail), ctx);
        } catch (ConnectException e) {
            return failed(service + " is unreachable at " + baseUrl.get() + " (connection refused).", ctx);
        } catch (HttpTimeoutException e) {
            return failed(service + " did not answer within " + services.callTimeout().toSeconds() + " s.", ctx);
        } catch (IOException e) {
            return failed(service + " call failed: " + e.getMessage(), ctx);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed("interrupted while calling " + service, ctx);
        }
    }

    private static SlackReply failed(String text, String ctx) {
        LOG.warnf("Slack command failed: %s (%s)", text, ctx);
        SlackReply reply = SlackReply.of(200, ":warning: " + text);
        ((ObjectNode) reply.body()).put("failed", true);
        return reply;
    }
}
