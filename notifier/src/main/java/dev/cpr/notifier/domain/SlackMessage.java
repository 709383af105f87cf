package dev.cpr.notifier.domain;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.Objects;

/**
 * A message ready for {@code chat.postMessage} / {@code chat.update}: Block Kit blocks and the plain
 * {@code text} fallback Slack shows in notifications and to clients that cannot render blocks.
 */
public record SlackMessage(String text, ArrayNode blocks) {

    public SlackMessage {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(blocks, "blocks");
    }

    /** The blocks as the JSON string the Web API takes in its {@code blocks} parameter. */
    public String blocksJson() {
        return blocks.toString();
    }
}
