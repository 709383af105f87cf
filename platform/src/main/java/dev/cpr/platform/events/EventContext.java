package dev.cpr.platform.events;

/**
 * What a log line about one consumed event names: the topic, the event, its cluster, and the plan, backup or
 * incident it is about ({@code idName=id}, empty when the payload has none).
 */
public record EventContext(String topic, String eventId, String type, String clusterId, String idName, String id) {

    /** {@code [cluster=prod-etcd plan=p-1 event=p-1-4]}, the form every cpr service logs. */
    public String tag() {
        StringBuilder tag = new StringBuilder("[cluster=").append(clusterId);
        if (id != null && !id.isBlank()) {
            tag.append(' ').append(idName).append('=').append(id);
        }
        return tag.append(" event=").append(eventId).append(']').toString();
    }
}
