package dev.cpr.sandbox.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A message as the simulator holds it: its current content and every update, under the workspace's lock. */
final class StoredMessage {
    final String channel;
    final String channelName;
    final String ts;
    final String threadTs;
    final Instant postedAt;
    /** {@code {event_type, event_payload}} as posted, or null. */
    final JsonNode metadata;
    final List<SimMessage.Update> updates = new ArrayList<>();
    String text;
    JsonNode blocks;

    StoredMessage(String channel, String channelName, String ts, String threadTs, String text, JsonNode blocks,
            JsonNode metadata, Instant postedAt) {
        this.channel = channel;
        this.channelName = channelName;
        this.ts = ts;
        this.threadTs = threadTs;
        this.text = text;
        this.blocks = blocks;
        this.metadata = metadata;
        this.postedAt = postedAt;
    }

    void update(String newText, JsonNode newBlocks, Instant at) {
        text = newText;
        blocks = newBlocks;
        updates.add(new SimMessage.Update(newText, newBlocks == null ? null : newBlocks.deepCopy(), at));
    }

    SimMessage snapshot() {
        return new SimMessage(channel, channelName, ts, threadTs, text, blocks == null ? null : blocks.deepCopy(),
                metadata == null ? null : metadata.deepCopy(), postedAt, List.copyOf(updates));
    }

    ObjectNode toSlackJson() {
        return toSlackJson(false);
    }

    /** As Slack shows the message; its metadata only when asked for ({@code include_all_metadata}). */
    ObjectNode toSlackJson(boolean withMetadata) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("type", "message");
        out.put("user", SlackSimulator.BOT_USER_ID);
        out.put("bot_id", SlackSimulator.BOT_ID);
        out.put("team", SlackSimulator.TEAM_ID);
        out.put("text", text);
        out.put("ts", ts);
        if (threadTs != null) {
            out.put("thread_ts", threadTs);
        }
        if (blocks != null) {
            out.set("blocks", blocks.deepCopy());
        }
        if (!updates.isEmpty()) {
            ObjectNode edited = out.putObject("edited");
            edited.put("user", SlackSimulator.BOT_USER_ID);
            edited.put("ts", ts);
        }
        if (withMetadata && metadata != null) {
            out.set("metadata", metadata.deepCopy());
        }
        return out;
    }
}
