package dev.cpr.notifier.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;

/**
 * What an Approve / Reject button carries: the action id says which, the value names the plan, its cluster and the
 * digest of the plan as the message showed it ({@code {"planId":"...","clusterId":"...","digest":"sha256:..."}}).
 * A value is only trusted after the request's signature is checked.
 *
 * @param digest the plan digest the person saw, null on a button rendered before plans had one
 */
public record ApprovalAction(boolean approve, String planId, String clusterId, String digest) {

    public static final String APPROVE = "cpr_approve";
    public static final String REJECT = "cpr_reject";
    public static final String BLOCK_ID = "cpr_approval";
    private static final ObjectMapper JSON = new ObjectMapper();

    public static String value(String planId, String clusterId) {
        return value(planId, clusterId, null);
    }

    public static String value(String planId, String clusterId, String digest) {
        var node = JsonNodeFactory.instance.objectNode().put("planId", planId).put("clusterId", clusterId);
        if (digest != null) {
            node.put("digest", digest);
        }
        return node.toString();
    }

    /**
     * Reads a button click.
     *
     * @throws IllegalArgumentException naming what is wrong (unknown action, value that is not ours)
     */
    public static ApprovalAction parse(String actionId, String value) {
        boolean approve;
        if (APPROVE.equals(actionId)) {
            approve = true;
        } else if (REJECT.equals(actionId)) {
            approve = false;
        } else {
            throw new IllegalArgumentException("unknown action_id '" + actionId + "'");
        }
        JsonNode node;
        try {
            node = value == null ? null : JSON.readTree(value);
        } catch (IOException e) {
            throw new IllegalArgumentException("action value is not JSON");
        }
        String planId = node == null ? "" : node.path("planId").asText("");
        String clusterId = node == null ? "" : node.path("clusterId").asText("");
        if (planId.isBlank() || clusterId.isBlank()) {
            throw new IllegalArgumentException("action value must name planId and clusterId");
        }
        String digest = node == null ? "" : node.path("digest").asText("");
        return new ApprovalAction(approve, planId, clusterId, digest.isBlank() ? null : digest);
    }
}
