package dev.cpr.sandbox.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The simulated workspace: its channels (by name and id), every message posted with its updates, the user groups,
 * and the Web API methods that read and change them. One lock, this object's, guards all of it.
 */
final class SlackWorkspace {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Clock clock;
    private final Map<String, String> channelIdsByName = new LinkedHashMap<>();
    private final List<StoredMessage> messages = new ArrayList<>();
    private final Map<String, List<String>> userGroups = new LinkedHashMap<>();
    private long lastTsMicros;
    private int channelCounter;

    SlackWorkspace(Clock clock) {
        this.clock = clock;
        channelIdsByName.put(SlackSimulator.DEFAULT_CHANNEL_NAME, SlackSimulator.DEFAULT_CHANNEL_ID);
    }

    /** Every message posted so far, in posting order, each with its current content and update history. */
    synchronized List<SimMessage> messages() {
        return messages.stream().map(StoredMessage::snapshot).toList();
    }

    /** Messages of one channel (id or name). */
    synchronized List<SimMessage> messages(String channel) {
        String id = channelIdsByName.getOrDefault(normalize(channel), channel);
        return messages.stream().filter(m -> m.channel.equals(id)).map(StoredMessage::snapshot).toList();
    }

    synchronized Optional<SimMessage> message(String ts) {
        return messages.stream().filter(m -> m.ts.equals(ts)).findFirst().map(StoredMessage::snapshot);
    }

    /** Replies in the thread of {@code parentTs}, in posting order. */
    synchronized List<SimMessage> replies(String parentTs) {
        return messages.stream().filter(m -> parentTs.equals(m.threadTs)).map(StoredMessage::snapshot).toList();
    }

    /** Deletes a message as if someone removed it in Slack; false when there is no such message. */
    synchronized boolean delete(String ts) {
        return messages.removeIf(m -> m.ts.equals(ts));
    }

    /** A user group ({@code S...}) with these members, for {@code usergroups.users.list}. */
    synchronized void defineUserGroup(String id, String... userIds) {
        userGroups.put(id, List.of(userIds));
    }

    /** An incoming webhook's message: top-level in the default channel. */
    synchronized void postFromWebhook(String text, JsonNode blocks) {
        messages.add(new StoredMessage(SlackSimulator.DEFAULT_CHANNEL_ID, SlackSimulator.DEFAULT_CHANNEL_NAME, nextTs(),
                null, text, blocks, null, clock.instant()));
    }

    /** Forgets every message; channels and user groups stay. */
    synchronized void clear() {
        messages.clear();
    }

    // ---------------------------------------------------------------- Web API methods

    ObjectNode authTest() {
        ObjectNode out = JSON.createObjectNode();
        out.put("ok", true);
        out.put("url", "https://cpr-sandbox.slack.com/");
        out.put("team", "cpr sandbox");
        out.put("user", "cpr-bot");
        out.put("team_id", SlackSimulator.TEAM_ID);
        out.put("user_id", SlackSimulator.BOT_USER_ID);
        out.put("bot_id", SlackSimulator.BOT_ID);
        return out;
    }

    synchronized ObjectNode postMessage(Map<String, Object> params) {
        String channel = resolveChannel(SlackParameters.string(params, "channel"));
        if (channel == null) {
            return SlackParameters.error("channel_not_found");
        }
        String text = SlackParameters.string(params, "text");
        JsonNode blocks;
        try {
            blocks = SlackParameters.blocks(params.get("blocks"));
        } catch (IllegalArgumentException e) {
            return SlackParameters.error("invalid_blocks");
        }
        if ((text == null || text.isEmpty()) && blocks == null) {
            return SlackParameters.error("no_text");
        }
        JsonNode metadata;
        try {
            metadata = SlackParameters.metadata(params.get("metadata"));
        } catch (IllegalArgumentException e) {
            return SlackParameters.error("invalid_metadata_format");
        }
        String threadTs = SlackParameters.string(params, "thread_ts");
        if (threadTs != null && threadTs.isEmpty()) {
            threadTs = null;
        }
        if (threadTs != null && find(channel, threadTs) == null) {
            return SlackParameters.error("thread_not_found");
        }
        StoredMessage message = new StoredMessage(channel, channelName(channel), nextTs(), threadTs,
                text == null ? "" : text, blocks, metadata, clock.instant());
        messages.add(message);
        ObjectNode out = JSON.createObjectNode();
        out.put("ok", true);
        out.put("channel", channel);
        out.put("ts", message.ts);
        out.set("message", message.toSlackJson());
        return out;
    }

    synchronized ObjectNode update(Map<String, Object> params) {
        String channel = resolveChannel(SlackParameters.string(params, "channel"));
        if (channel == null) {
            return SlackParameters.error("channel_not_found");
        }
        String ts = SlackParameters.string(params, "ts");
        StoredMessage message = ts == null ? null : find(channel, ts);
        if (message == null) {
            return SlackParameters.error("message_not_found");
        }
        String text = SlackParameters.string(params, "text");
        JsonNode blocks;
        try {
            blocks = SlackParameters.blocks(params.get("blocks"));
        } catch (IllegalArgumentException e) {
            return SlackParameters.error("invalid_blocks");
        }
        if ((text == null || text.isEmpty()) && blocks == null) {
            return SlackParameters.error("no_text");
        }
        message.update(text == null ? message.text : text, blocks, clock.instant());
        ObjectNode out = JSON.createObjectNode();
        out.put("ok", true);
        out.put("channel", channel);
        out.put("ts", message.ts);
        out.put("text", message.text);
        out.set("message", message.toSlackJson());
        return out;
    }

    synchronized ObjectNode delete(Map<String, Object> params) {
        String channel = resolveChannel(SlackParameters.string(params, "channel"));
        if (channel == null) {
            return SlackParameters.error("channel_not_found");
        }
        String ts = SlackParameters.string(params, "ts");
        StoredMessage message = ts == null ? null : find(channel, ts);
        if (message == null) {
            return SlackParameters.error("message_not_found");
        }
        messages.remove(message);
        return JSON.createObjectNode().put("ok", true).put("channel", channel).put("ts", ts);
    }

    /** {@code conversations.history}: the channel's top-level messages, newest first, a page at a time. */
    synchronized ObjectNode history(Map<String, Object> params) {
        String channel = knownChannelId(SlackParameters.string(params, "channel"));
        if (channel == null) {
            return SlackParameters.error("channel_not_found");
        }
        List<StoredMessage> newestFirst = new ArrayList<>();
        for (int i = messages.size() - 1; i >= 0; i--) {
            StoredMessage m = messages.get(i);
            if (m.channel.equals(channel) && m.threadTs == null) {
                newestFirst.add(m);
            }
        }
        return SlackHistory.page(newestFirst, null, params, 100);
    }

    /** {@code conversations.replies}: the parent of thread {@code ts}, then its replies oldest first, a page at a time. */
    synchronized ObjectNode replies(Map<String, Object> params) {
        String channel = knownChannelId(SlackParameters.string(params, "channel"));
        if (channel == null) {
            return SlackParameters.error("channel_not_found");
        }
        String ts = SlackParameters.string(params, "ts");
        StoredMessage parent = ts == null ? null : find(channel, ts);
        if (parent == null) {
            return SlackParameters.error("thread_not_found");
        }
        List<StoredMessage> oldestFirst = messages.stream().filter(m -> ts.equals(m.threadTs)).toList();
        return SlackHistory.page(oldestFirst, parent, params, 1000);
    }

    synchronized ObjectNode userGroupUsers(Map<String, Object> params) {
        String id = SlackParameters.string(params, "usergroup");
        List<String> members = id == null ? null : userGroups.get(id);
        if (members == null) {
            return SlackParameters.error("no_such_subteam");
        }
        ObjectNode out = JSON.createObjectNode().put("ok", true);
        ArrayNode users = out.putArray("users");
        members.forEach(users::add);
        return out;
    }

    // ---------------------------------------------------------------- channels and ts (callers hold the lock)

    private StoredMessage find(String channel, String ts) {
        for (StoredMessage m : messages) {
            if (m.channel.equals(channel) && m.ts.equals(ts)) {
                return m;
            }
        }
        return null;
    }

    /** A channel id for a name (created on first use) or a known id; null when missing or an unknown id. */
    private String resolveChannel(String channel) {
        if (channel == null || channel.isBlank()) {
            return null;
        }
        String trimmed = channel.trim();
        if (channelIdsByName.containsValue(trimmed)) {
            return trimmed;
        }
        if (!trimmed.startsWith("#") && trimmed.matches("[CGD][A-Z0-9]{6,}")) {
            return null; // looks like an id we never handed out
        }
        return channelIdsByName.computeIfAbsent(normalize(trimmed),
                name -> String.format(Locale.ROOT, "C0SIM%04d", ++channelCounter));
    }

    /** The reading methods take only a channel id, as Slack's do: a name is {@code channel_not_found}. */
    private String knownChannelId(String channel) {
        return channel != null && channelIdsByName.containsValue(channel.trim()) ? channel.trim() : null;
    }

    private String channelName(String id) {
        return channelIdsByName.entrySet().stream().filter(e -> e.getValue().equals(id))
                .map(Map.Entry::getKey).findFirst().orElse(id);
    }

    private static String normalize(String channel) {
        return channel.startsWith("#") ? channel.substring(1) : channel;
    }

    /** Unique and increasing, in Slack's {@code seconds.micros} form. */
    private String nextTs() {
        Instant now = clock.instant();
        long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000L;
        lastTsMicros = Math.max(lastTsMicros + 1, micros);
        return String.format(Locale.ROOT, "%d.%06d", lastTsMicros / 1_000_000L, lastTsMicros % 1_000_000L);
    }
}
