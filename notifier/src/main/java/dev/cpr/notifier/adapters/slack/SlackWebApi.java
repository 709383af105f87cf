package dev.cpr.notifier.adapters.slack;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import com.slack.api.methods.request.chat.ChatPostMessageRequest;
import com.slack.api.methods.request.chat.ChatUpdateRequest;
import com.slack.api.methods.response.chat.ChatPostMessageResponse;
import com.slack.api.methods.response.usergroups.users.UsergroupsUsersListResponse;
import dev.cpr.notifier.domain.SlackDeliveryException;
import dev.cpr.notifier.domain.SlackMessage;
import dev.cpr.notifier.domain.SlackPort;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * {@link SlackPort} over the official Slack Java SDK ({@code Slack.getInstance(SlackConfig)}, methods endpoint
 * prefix from {@code cpr.slack.api-url}). Blocking.
 * <p>
 * Failures are sorted: {@code ok:false} with a permanent error (bad auth, unknown channel or message, bad blocks)
 * fails at once; HTTP 5xx, I/O errors and transient Slack errors are retried, HTTP 429 after the {@code Retry-After}
 * Slack sent ({@link SlackRetry}).
 */
public final class SlackWebApi implements SlackPort, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SlackWebApi.class);
    private static final Set<String> TRANSIENT = Set.of(
            "ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout");

    private final Slack slack;
    private final MethodsClient methods;
    private final SlackRetry retry;

    public SlackWebApi(String apiUrl, String token, SlackRetry retry) {
        SlackConfig config = new SlackConfig();
        config.setMethodsEndpointUrlPrefix(apiUrl.endsWith("/") ? apiUrl : apiUrl + "/");
        config.setPrettyResponseLoggingEnabled(false);
        config.getMethodsConfig().setStatsEnabled(false);
        config.setHttpClientCallTimeoutMillis(15_000);
        this.slack = Slack.getInstance(config);
        this.methods = slack.methods(token);
        this.retry = retry;
    }

    @Override
    public Posted post(String channel, String threadTs, SlackMessage message, String context) {
        ChatPostMessageRequest request = ChatPostMessageRequest.builder()
                .channel(channel)
                .threadTs(threadTs)
                .text(message.text())
                .blocksAsString(message.blocksJson())
                .unfurlLinks(false)
                .build();
        ChatPostMessageResponse response = call("chat.postMessage", context, () -> methods.chatPostMessage(request));
        return new Posted(response.getChannel(), response.getTs());
    }

    @Override
    public void update(String channel, String ts, SlackMessage message, String context) {
        ChatUpdateRequest request = ChatUpdateRequest.builder()
                .channel(channel)
                .ts(ts)
                .text(message.text())
                .blocksAsString(message.blocksJson())
                .build();
        call("chat.update", context, () -> methods.chatUpdate(request));
    }

    @Override
    public List<String> userGroupMembers(String userGroupId, String context) {
        UsergroupsUsersListResponse response = call("usergroups.users.list", context,
                () -> methods.usergroupsUsersList(r -> r.usergroup(userGroupId)));
        return response.getUsers() == null ? List.of() : List.copyOf(response.getUsers());
    }

    @FunctionalInterface
    private interface SlackCall<R extends SlackApiTextResponse> {
        R invoke() throws IOException, SlackApiException;
    }

    private <R extends SlackApiTextResponse> R call(String method, String context, SlackCall<R> slackCall) {
        return retry.call(method, context, () -> {
            try {
                R response = slackCall.invoke();
                if (response.isOk()) {
                    return new SlackRetry.Sent<>(response);
                }
                String error = response.getError();
                return new SlackRetry.Refused<>(new SlackDeliveryException(error, "Slack " + method
                        + " answered ok:false, error " + error
                        + (response.getNeeded() == null ? "" : " (needed " + response.getNeeded() + ")"), null,
                        TRANSIENT.contains(error)), null);
            } catch (SlackApiException e) {
                int status = e.getResponse().code();
                SlackDeliveryException failure = new SlackDeliveryException(status == 429 ? "ratelimited" : "http_error",
                        "Slack " + method + " answered HTTP " + status, e, status == 429 || status >= 500);
                String retryAfter = status == 429 ? String.valueOf(e.getResponse().header("Retry-After")) : null;
                return new SlackRetry.Refused<>(failure, retryAfter);
            }
        });
    }

    @Override
    public void close() {
        try {
            slack.close();
        } catch (Exception e) {
            LOG.debugf("closing the Slack client: %s", e.getMessage());
        }
    }
}
