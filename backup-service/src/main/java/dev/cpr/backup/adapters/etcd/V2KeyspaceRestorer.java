package dev.cpr.backup.adapters.etcd;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Puts an etcd v2 keyspace export (as written by {@link V2KeyspaceExporter}, also served by
 * {@code GET /api/v1/backups/{id}/v2}) back into a cluster over the v2 API, after its v3 snapshot was restored:
 * every leaf key with {@code PUT <client-url>/v2/keys<key>} ({@code value}, and {@code ttl} when the key had one
 * left), every empty directory with {@code dir=true}. Existing keys are overwritten; nothing is deleted. The export
 * is read as a stream, one node at a time, so its size does not matter.
 *
 * <pre>
 * try (InputStream export = ...) {
 *     long keys = new V2KeyspaceRestorer(Duration.ofSeconds(5)).restore(export, "http://10.0.0.1:2379");
 * }
 * </pre>
 * The target member must run with {@code --enable-v2}. restore-service calls this (or does the same over REST).
 */
public class V2KeyspaceRestorer {

    private final HttpClient http;
    private final Duration timeout;

    public V2KeyspaceRestorer(Duration timeout) {
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).version(HttpClient.Version.HTTP_1_1).build();
        this.timeout = timeout;
    }

    /**
     * @return how many leaf keys were put
     * @throws IOException when the export is not complete JSON or a PUT is refused (the message names the key)
     */
    public long restore(InputStream export, String clientUrl) throws IOException, InterruptedException {
        long keys = 0;
        try (JsonParser parser = new JsonFactory().createParser(export)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token == JsonToken.FIELD_NAME && "node".equals(parser.currentName())) {
                    parser.nextToken();
                    keys += node(parser, clientUrl);
                }
            }
        }
        return keys;
    }

    /** Reads one node object (the parser is on its START_OBJECT) and puts it; returns the leaf keys put. */
    private long node(JsonParser parser, String clientUrl) throws IOException, InterruptedException {
        String key = null;
        String value = null;
        Long ttl = null;
        boolean dir = false;
        boolean hasChildren = false;
        long keys = 0;
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
            if (token == null) {
                throw new IOException("the v2 export ends inside a node (truncated)");
            }
            String field = parser.currentName();
            JsonToken v = parser.nextToken();
            switch (field) {
                case "key" -> key = parser.getValueAsString();
                case "value" -> value = parser.getValueAsString();
                case "ttl" -> ttl = parser.getValueAsLong();
                case "dir" -> dir = v == JsonToken.VALUE_TRUE;
                case "nodes" -> {
                    for (JsonToken child = parser.nextToken(); child != JsonToken.END_ARRAY; child = parser.nextToken()) {
                        hasChildren = true;
                        keys += node(parser, clientUrl);
                    }
                }
                default -> parser.skipChildren();
            }
        }
        if (key == null || key.equals("/")) {
            return keys;
        }
        if (!dir) {
            put(clientUrl, key, "value=" + form(value == null ? "" : value) + (ttl != null && ttl > 0 ? "&ttl=" + ttl : ""));
            return keys + 1;
        }
        if (!hasChildren) {
            put(clientUrl, key, "dir=true" + (ttl != null && ttl > 0 ? "&ttl=" + ttl : ""));
        }
        return keys;
    }

    private void put(String clientUrl, String key, String form) throws IOException, InterruptedException {
        StringBuilder path = new StringBuilder();
        for (String segment : key.split("/")) {
            if (!segment.isEmpty()) {
                path.append('/').append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
            }
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(clientUrl + "/v2/keys" + path)).timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .PUT(HttpRequest.BodyPublishers.ofString(form)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200 && response.statusCode() != 201) {
            throw new IOException("PUT " + key + " into " + clientUrl + " was refused: HTTP " + response.statusCode() + " "
                    + response.body());
        }
    }

    private static String form(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
