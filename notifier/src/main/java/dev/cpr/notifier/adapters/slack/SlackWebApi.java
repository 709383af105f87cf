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
import dev.cpr.notifier.domain.Backoff;
import dev.cpr.notifier.domain.SlackDeliveryException;
import dev.cpr.notifier.domain.SlackMessage;
import dev.cpr.notifier.domain.SlackPort;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * {@link SlackPort} over the official Slack Java SDK ({@code Slack.getInstance(SlackConfig)}, methods endpoint
 * prefix from {@code cpr.slack.api-url}). Blocking.
 * <p>
 * Failures are sorted: {@code ok:false} with a permanent error (bad auth, unknown channel or message, bad blocks)
 * fails at once; HTTP 5xx, I/O errors and transient Slack errors are retried with capped exponential
 * {@link Backoff}; HTTP 429 waits the {@code Retry-After} Slack sent. One warning per failed call, one error
 * when giving up.
 */
public final class SlackWebApi implements SlackPort, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SlackWebApi.class);
    private static final Set<String> TRANSIENT = Set.of(
            "ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout");

    private final Slack slack;
    private final MethodsClient methods;
    private final int maxAttempts;
    private final Backoff backoff;
    private final Duration maxRetryAfter;
    private final Sleeper sleeper;

    /** Waits between attempts; tests pass one that does not. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    public SlackWebApi(String apiUrl, String token, int maxAttempts, Backoff backoff, Duration maxRetryAfter,
            Sleeper sleeper) {
        SlackConfig config = new SlackConfig();
        config.setMethodsEndpointUrlPrefix(apiUrl.endsWith("/") ? apiUrl : apiUrl + "/");
        config.setPrettyResponseLoggingEnabled(false);
        config.getMethodsConfig().setStatsEnabled(false);
        config.setHttpClientCallTimeoutMillis(15_000);
        this.slack = Slack.getInstance(config);
        this.methods = slack.methods(token);
        this.maxAttempts = Math.max(1, maxAttempts);
        this.backoff = backoff;
        this.maxRetryAfter = maxRetryAfter;
        this.sleeper = sleeper;
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
        for (int attempt = 1; ; attempt++) {
            Duration wait;
            SlackDeliveryException failure;
            try {
                R response = slackCall.invoke();
                if (response.isOk()) {
                    if (attempt > 1) {
                        LOG.infof("Slack %s succeeded on attempt %d (%s)", method, attempt, context);
                    }
                    return response;
                }
                String error = response.getError();
                failure = new SlackDeliveryException(error, "Slack " + method + " answered ok:false, error "
                        + error + (response.getNeeded() == null ? "" : " (needed " + response.getNeeded() + ")"), null,
                        TRANSIENT.contains(error));
                if (!failure.retryable()) {
                    LOG.warnf("Slack %s failed with %s, not retried (%s)", method, error, context);
                    throw failure;
                }
                wait = backoff.delayBeforeRetry(attempt);
            } catch (SlackApiException e) {
                int status = e.getResponse().code();
                failure = new SlackDeliveryException(status == 429 ? "ratelimited" : "http_error",
                        "Slack " + method + " answered HTTP " + status, e, status == 429 || status >= 500);
                if (status == 429) {
                    wait = retryAfter(e, attempt);
                } else if (status >= 500) {
                    wait = backoff.delayBeforeRetry(attempt);
                } else {
                    LOG.warnf("Slack %s answered HTTP %d, not retried (%s)", method, status, context);
                    throw failure;
                }
            } catch (IOException e) {
                failure = new SlackDeliveryException("io_error", "Slack " + method + " unreachable: " + e.getMessage(), e,
                        true);
                wait = backoff.delayBeforeRetry(attempt);
            }
            if (attempt >= maxAttempts) {
                LOG.errorf("Slack %s gave up after %d attempts: %s (%s)", method, attempt, failure.getMessage(), context);
                throw failure;
            }
            LOG.warnf("Slack %s attempt %d/%d failed: %s; retrying in %d ms (%s)", method, attempt, maxAttempts,
                    failure.getMessage(), wait.toMillis(), context);
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SlackDeliveryException("interrupted", "interrupted while waiting to retry " + method, e, true);
            }
        }
    }

    private Duration retryAfter(SlackApiException e, int attempt) {
        String header = e.getResponse().header("Retry-After");
        try {
            Duration asked = Duration.ofSeconds(Long.parseLong(header == null ? "" : header.trim()));
            return asked.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : asked;
        } catch (NumberFormatException notANumber) {
            return backoff.delayBeforeRetry(attempt);
        }
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
