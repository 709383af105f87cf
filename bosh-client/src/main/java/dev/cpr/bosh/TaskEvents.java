package dev.cpr.bosh;

import java.util.List;

/**
 * A chunk of a task's event output ({@code GET /tasks/<id>/output?type=event} with {@code Range: bytes=N-}).
 *
 * @param content    the new bytes as text: newline-delimited JSON events, empty when nothing is new (416)
 * @param nextOffset the offset to ask from next time
 */
public record TaskEvents(long taskId, String content, long nextOffset) {

    /** The non-blank lines of {@link #content()}, one JSON event each. */
    public List<String> lines() {
        return content.lines().filter(l -> !l.isBlank()).toList();
    }

    public boolean isEmpty() {
        return content.isEmpty();
    }
}
