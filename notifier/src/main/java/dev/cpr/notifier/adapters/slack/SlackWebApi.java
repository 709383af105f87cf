package dev.cpr.notifier.adapters.slack;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import com.slack.api.methods.request.chat.ChatPostMessageRequest;
import com.slack.api.methods.request.chat.ChatUpdateRequest;
import com.slack.api.methods.response.chat.ChatPostMessageResponse;
import com.slack.api.methods.response.conversations.ConversationsHistoryResponse;
import com.slack.api.methods.response.conversations.ConversationsRepliesResponse;
import com.slack.api.model.Message;
import com.slack.api.methods.response.usergroups.users.UsergroupsUsersListResponse;
import dev.cpr.notifier.domain.SlackDeliveryException;
import dev.cpr.notifier.domain.SlackMessage;
import dev.cpr.notifier.domain.SlackMessageTag;
import dev.cpr.notifier.domain.SlackPort;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * {@link SlackPort} over the official Slack Java SDK ({@code Slack.getInstance(SlackConfig)}, methods endpoint
 * prefix from {@code cpr.slack.api-url}). Blocking.
 * <p>
 * Failures are sorted: {@code ok:false} with a permanent error (bad auth, unknown channel or message, bad blocks)
 * fails at once; HTTP 5xx, I/O errors and transient Slack errors are retried, HTTP 429 after the {@code Retry-After}
 * Slack sent ({@link SlackRetry}).
 * <p>
 * A tagged post carries {@link SlackMessageTag} as message metadata; {@link #findPosted} reads the channel's history
 * (or the thread's replies) since a moment with {@code include_all_metadata}, a page of {@value #PAGE} at a time.
 */
public final class SlackWebApi implements SlackPort, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SlackWebApi.class);
    private static final Set<String> TRANSIENT = Set.of(
            "ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout");

    static final int PAGE = 200;

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
        return post(channel, threadTs, message, null, context);
    }

    @Override
    public Posted post(String channel, String threadTs, SlackMessage message, SlackMessageTag tag, String context) {
        ChatPostMessageRequest request = ChatPostMessageRequest.builder()
                .channel(channel)
                .threadTs(threadTs)
                .text(message.text())
                .blocksAsString(message.blocksJson())
                .metadataAsString(tag == null ? null : metadata(tag))
                .unfurlLinks(false)
                .build();
        ChatPostMessageResponse response = call("chat.postMessage", context, () -> methods.chatPostMessage(request));
        return new Posted(response.getChannel(), response.getTs());
    }

    @Override
    public boolean findsPosted() {
        return true;
    }

    @Override
    public Optional<Posted> findPosted(String channel, String threadTs, SlackMessageTag tag, Instant since,
            String context) {
        String oldest = slackTs(since);
        String cursor = null;
        do {
            String page = cursor;
            List<Message> messages;
            com.slack.api.model.ResponseMetadata next;
            boolean hasMore;
            if (threadTs == null) {
                ConversationsHistoryResponse r = call("conversations.history", context, () -> methods.conversationsHistory(
                        q -> q.channel(channel).oldest(oldest).includeAllMetadata(true).limit(PAGE).cursor(page)));
                messages = r.getMessages();
                next = r.getResponseMetadata();
                hasMore = r.isHasMore();
            } else {
                ConversationsRepliesResponse r = call("conversations.replies", context, () -> methods.conversationsReplies(
                        q -> q.channel(channel).ts(threadTs).oldest(oldest).includeAllMetadata(true).limit(PAGE)
                                .cursor(page)));
                messages = r.getMessages();
                next = r.getResponseMetadata();
                hasMore = r.isHasMore();
            }
            for (Message m : messages == null ? List.<Message>of() : messages) {
                if (m.getMetadata() != null && tag.isIn(m.getMetadata().getEventType(), m.getMetadata().getEventPayload())) {
                    return Optional.of(new Posted(channel, m.getTs()));
                }
            }
            cursor = hasMore && next != null ? next.getNextCursor() : null;
        } while (cursor != null && !cursor.isEmpty());
        return Optional.empty();
    }

    private static String metadata(SlackMessageTag tag) {
        ObjectNode metadata = JsonNodeFactory.instance.objectNode().put("event_type", SlackMessageTag.EVENT_TYPE);
        ObjectNode payload = metadata.putObject("event_payload");
        tag.payload().forEach(payload::put);
        return metadata.toString();
    }

    /** Slack's {@code seconds.micros} form of a moment. */
    static String slackTs(Instant at) {
        return String.format(java.util.Locale.ROOT, "%d.%06d", at.getEpochSecond(), at.getNano() / 1_000);
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
