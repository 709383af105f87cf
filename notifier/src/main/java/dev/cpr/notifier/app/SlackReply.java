package dev.cpr.notifier.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** What to answer Slack: an HTTP status and a JSON body (empty object when there is nothing to say). */
public record SlackReply(int status, JsonNode body) {

    static SlackReply of(int status, String text) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        if (text != null) {
            body.put("response_type", "ephemeral").put("text", text);
        }
        return new SlackReply(status, body);
    }
}
