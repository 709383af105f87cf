package dev.cpr.restore.adapters.etcd;

import dev.cpr.restore.domain.etcd.EtcdAdmin.EtcdAdminException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The etcd v2 key space over a member's HTTP API: writing back a v2 export, streamed one node at a time so a large
 * export is never held in memory, and counting its leaf keys.
 */
final class V2Keys {

    private final MemberConnections connections;
    private final Duration timeout;

    V2Keys(MemberConnections connections, Duration timeout) {
        this.connections = connections;
        this.timeout = timeout;
    }

    /** PUT of every leaf key (and empty directory) of a v2 export. */
    long put(String clientUrl, Path export) {
        try (JsonParser parser = new JsonFactory().createParser(export.toFile())) {
            long keys = 0;
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token == JsonToken.FIELD_NAME && "node".equals(parser.currentName())) {
                    parser.nextToken();
                    keys += putNode(parser, clientUrl);
                }
            }
            return keys;
        } catch (IOException e) {
            throw new EtcdAdminException("v2 restore into " + clientUrl + ": " + e.getMessage(), e);
        }
    }

    long count(String clientUrl) {
        try {
            HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(clientUrl + "/v2/keys/?recursive=true")).GET());
            if (response.statusCode() == 404 && response.body().contains("\"errorCode\":100")) {
                return 0;
            }
            if (response.statusCode() != 200) {
                throw new EtcdAdminException("GET /v2/keys of " + clientUrl + ": HTTP " + response.statusCode());
            }
            return leaves(new ObjectMapper().readTree(response.body()).path("node"));
        } catch (IOException e) {
            throw new EtcdAdminException("GET /v2/keys of " + clientUrl + ": " + e.getMessage(), e);
        }
    }

    private long putNode(JsonParser parser, String clientUrl) throws IOException {
        String key = null;
        String value = null;
        boolean dir = false;
        boolean children = false;
        long keys = 0;
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
            if (token == null) {
                throw new IOException("the v2 export is truncated");
            }
            String field = parser.currentName();
            JsonToken value0 = parser.nextToken();
            switch (field) {
                case "key" -> key = parser.getValueAsString();
                case "value" -> value = parser.getValueAsString();
                case "dir" -> dir = value0 == JsonToken.VALUE_TRUE;
                case "nodes" -> {
                    for (JsonToken child = parser.nextToken(); child != JsonToken.END_ARRAY; child = parser.nextToken()) {
                        children = true;
                        keys += putNode(parser, clientUrl);
                    }
                }
                default -> parser.skipChildren();
            }
        }
        if (key == null || key.equals("/") || (dir && children)) {
            return keys;
        }
        String form = dir ? "dir=true" : "value=" + URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(clientUrl + "/v2/keys" + path(key)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .PUT(HttpRequest.BodyPublishers.ofString(form)));
        if (response.statusCode() != 200 && response.statusCode() != 201) {
            throw new IOException("PUT " + key + " was refused: HTTP " + response.statusCode() + " " + response.body()
                    + " (does the member run with --enable-v2?)");
        }
        return dir ? keys : keys + 1;
    }

    private static long leaves(JsonNode node) {
        if (!node.path("dir").asBoolean(false)) {
            return node.has("key") ? 1 : 0;
        }
        long n = 0;
        for (JsonNode child : node.path("nodes")) {
            n += leaves(child);
        }
        return n;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
        try {
            HttpRequest built = request.timeout(timeout).build();
            String member = built.uri().getScheme() + "://" + built.uri().getRawAuthority();
            return connections.http(member).send(built, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static String path(String key) {
        StringBuilder path = new StringBuilder();
        for (String segment : key.split("/")) {
            if (!segment.isEmpty()) {
                path.append('/').append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
            }
        }
        return path.toString();
    }
}
