package dev.cpr.notifier.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cpr.contracts.approval.Decision;
import dev.cpr.contracts.events.EventCodec;
import dev.cpr.notifier.domain.ApprovalAction;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** What Slack posts, read: form-encoded bodies, and the button click inside an interaction's payload. */
final class SlackForms {

    private SlackForms() {
    }

    /** What a {@code block_actions} payload says; fields null when missing, {@code error} when not a click of ours. */
    record Click(String userId, ApprovalAction action, String error) {

        String planId() {
            return action == null ? null : action.planId();
        }

        String clusterId() {
            return action == null ? null : action.clusterId();
        }

        String decision() {
            return action == null ? null : action.approve() ? Decision.APPROVED.name() : Decision.REJECTED.name();
        }

        static Click read(String rawBody) {
            String payload = form(rawBody).get("payload");
            if (payload == null) {
                return new Click(null, null, "no payload parameter");
            }
            JsonNode json;
            try {
                json = EventCodec.mapper().readTree(payload);
            } catch (Exception e) {
                return new Click(null, null, "payload is not JSON");
            }
            String user = json.path("user").path("id").asText(null);
            if (!"block_actions".equals(json.path("type").asText())) {
                return new Click(user, null, "payload type '" + json.path("type").asText() + "' is not block_actions");
            }
            JsonNode first = json.path("actions").path(0);
            try {
                return new Click(user, ApprovalAction.parse(first.path("action_id").asText(null),
                        first.path("value").asText(null)), null);
            } catch (IllegalArgumentException e) {
                return new Click(user, null, e.getMessage());
            }
        }
    }

    static Map<String, String> form(String encoded) {
        Map<String, String> out = new LinkedHashMap<>();
        if (encoded == null) {
            return out;
        }
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                out.putIfAbsent(key, value);
            } catch (IllegalArgumentException badEscape) {
                // a malformed pair is skipped; the signature check decides about the request
            }
        }
        return out;
    }
}
