package dev.cpr.sandbox.slack;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * One page of {@code conversations.history} or {@code conversations.replies}, as Slack answers them: the messages
 * between {@code oldest} and {@code latest} (both exclusive unless {@code inclusive}), at most {@code limit} (1 to
 * 999), {@code has_more}, and {@code response_metadata.next_cursor} to ask for the next page with {@code cursor}.
 * Metadata is in each message only with {@code include_all_metadata=true}. The cursor is opaque to callers (base64
 * of the last ts handed out), so a page stays right when messages are posted between two calls.
 */
final class SlackHistory {

    private static final String CURSOR_PREFIX = "next_ts:";
    private static final BigDecimal INVALID = new BigDecimal("-1");

    private SlackHistory() {
    }

    /**
     * @param ordered the candidates in answer order (newest first for history, oldest first for replies)
     * @param parent  a thread's parent, always first on the first page ({@code conversations.replies}); else null
     */
    static ObjectNode page(List<StoredMessage> ordered, StoredMessage parent, Map<String, Object> params,
            int defaultLimit) {
        BigDecimal oldest = timestamp(params, "oldest");
        BigDecimal latest = timestamp(params, "latest");
        if (oldest == INVALID || latest == INVALID) {
            return SlackParameters.error(oldest == INVALID ? "invalid_ts_oldest" : "invalid_ts_latest");
        }
        boolean inclusive = SlackParameters.flag(params, "inclusive");
        boolean withMetadata = SlackParameters.flag(params, "include_all_metadata");
        int limit = limit(params, defaultLimit);
        String cursor = SlackParameters.string(params, "cursor");
        BigDecimal after = null;
        if (cursor != null && !cursor.isBlank()) {
            after = decodeCursor(cursor);
            if (after == null) {
                return SlackParameters.error("invalid_cursor");
            }
        }
        boolean newestFirst = parent == null;
        List<StoredMessage> window = new ArrayList<>();
        for (StoredMessage m : ordered) {
            BigDecimal ts = new BigDecimal(m.ts);
            if (inWindow(ts, oldest, latest, inclusive) && (after == null || beyond(ts, after, newestFirst))) {
                window.add(m);
            }
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode().put("ok", true);
        ArrayNode list = out.putArray("messages");
        if (parent != null && after == null) {
            list.add(parent.toSlackJson(withMetadata));
        }
        List<StoredMessage> page = window.subList(0, Math.min(limit, window.size()));
        page.forEach(m -> list.add(m.toSlackJson(withMetadata)));
        boolean hasMore = window.size() > page.size();
        out.put("has_more", hasMore);
        if (parent == null) {
            out.put("pin_count", 0);
        }
        if (hasMore) {
            String last = page.get(page.size() - 1).ts;
            out.putObject("response_metadata").put("next_cursor", Base64.getEncoder()
                    .encodeToString((CURSOR_PREFIX + last).getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    /** A Unix time in Slack's {@code seconds[.micros]} form; null when absent, {@link #INVALID} when not a number. */
    private static BigDecimal timestamp(Map<String, Object> params, String key) {
        String value = SlackParameters.string(params, key);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return new BigDecimal(value.trim());
        } catch (NumberFormatException e) {
            return INVALID;
        }
    }

    private static boolean inWindow(BigDecimal ts, BigDecimal oldest, BigDecimal latest, boolean inclusive) {
        if (oldest != null && (inclusive ? ts.compareTo(oldest) < 0 : ts.compareTo(oldest) <= 0)) {
            return false;
        }
        return latest == null || (inclusive ? ts.compareTo(latest) <= 0 : ts.compareTo(latest) < 0);
    }

    /** Past the last message of the previous page, in answer order. */
    private static boolean beyond(BigDecimal ts, BigDecimal last, boolean newestFirst) {
        return newestFirst ? ts.compareTo(last) < 0 : ts.compareTo(last) > 0;
    }

    private static int limit(Map<String, Object> params, int defaultLimit) {
        String value = SlackParameters.string(params, "limit");
        try {
            int asked = value == null || value.isBlank() ? defaultLimit : Integer.parseInt(value.trim());
            return asked < 1 ? defaultLimit : Math.min(asked, 999);
        } catch (NumberFormatException e) {
            return defaultLimit;
        }
    }

    private static BigDecimal decodeCursor(String cursor) {
        try {
            String decoded = new String(Base64.getDecoder().decode(cursor.trim()), StandardCharsets.UTF_8);
            return decoded.startsWith(CURSOR_PREFIX) ? new BigDecimal(decoded.substring(CURSOR_PREFIX.length())) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
