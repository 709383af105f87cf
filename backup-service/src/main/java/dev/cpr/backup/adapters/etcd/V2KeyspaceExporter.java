package dev.cpr.backup.adapters.etcd;

import dev.cpr.backup.app.V2Exporter;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.cpr.backup.domain.snapshot.ArtifactStore;
import dev.cpr.backup.domain.snapshot.Sha256OutputStream;
import dev.cpr.backup.domain.snapshot.SnapshotFailedException;
import dev.cpr.backup.domain.v2.V2Export;
import dev.cpr.contracts.inventory.ClusterSpec;
import dev.cpr.contracts.inventory.MemberSpec;
import dev.cpr.contracts.tls.ClientTls;
import dev.cpr.contracts.tls.HandshakeFailures;
import dev.cpr.contracts.tls.TlsMaterialException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

/**
 * Exports a cluster's etcd v2 keyspace: {@code GET <client-url>/v2/keys/?recursive=true&sorted=true} from the member
 * the v3 snapshot came from, streamed into the artifact store (never held whole in memory) with its sha256, then
 * read back once, streaming, to count the leaf keys (which also proves it is complete JSON). etcd 3.4 serves the v2
 * API only when started with {@code --enable-v2}; without it the member answers 404 and the export fails saying so.
 *
 * <p>The export is a separate read from the v3 snapshot: the two keyspaces are independent stores in etcd, so no
 * single revision covers both. The file is what {@link V2KeyspaceRestorer} puts back.
 */
@jakarta.enterprise.context.ApplicationScoped
public class V2KeyspaceExporter implements V2Exporter {

    private final HttpClient http;
    private final Duration timeout;

    @jakarta.inject.Inject
    public V2KeyspaceExporter(dev.cpr.backup.config.BackupConfig config) {
        this(config.snapshot().streamTimeout());
    }

    public V2KeyspaceExporter(Duration timeout) {
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).version(HttpClient.Version.HTTP_1_1).build();
        this.timeout = timeout;
    }

    /** Exports into {@code <cluster>/<fileName>} of the store. */
    @Override
    public V2Export export(ClusterSpec cluster, MemberSpec member, ArtifactStore store, String fileName) {
        HttpClient http = this.http;
        if (cluster.tls() != null) {
            try {
                // one client per export: exports are rare, and a replaced certificate is picked up
                http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).version(HttpClient.Version.HTTP_1_1)
                        .sslContext(ClientTls.load(cluster.id(), member.name(), cluster.tls(), Instant.now()).sslContext())
                        .build();
            } catch (TlsMaterialException e) {
                throw new SnapshotFailedException(e.getMessage(), member.name(), e);
            }
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(member.clientUrl() + "/v2/keys/?recursive=true&sorted=true"))
                .timeout(timeout).GET().build();
        try (ArtifactStore.PendingArtifact pending = store.begin(cluster.id(), fileName)) {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            Long index = response.headers().firstValue("X-Etcd-Index").map(Long::valueOf).orElse(null);
            Sha256OutputStream hashed;
            try (InputStream body = response.body(); OutputStream out = pending.output()) {
                if (response.statusCode() != 200) {
                    String text = new String(body.readNBytes(300), java.nio.charset.StandardCharsets.UTF_8);
                    throw new SnapshotFailedException("v2 export from " + member.name() + ": HTTP " + response.statusCode()
                            + (response.statusCode() == 404 ? " (is etcd started with --enable-v2?)" : "") + ": " + text,
                            member.name(), null);
                }
                hashed = new Sha256OutputStream(out);
                body.transferTo(hashed);
                hashed.flush();
            }
            String location = pending.commit();
            long keys;
            try (InputStream stored = store.open(location)) {
                keys = countKeys(stored);
            } catch (IOException | RuntimeException e) {
                store.delete(location);
                throw e;
            }
            return new V2Export(location, hashed.count(), hashed.hex(), keys, index);
        } catch (SnapshotFailedException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new SnapshotFailedException(HandshakeFailures.describe(cluster.id(), member.name(), cluster.tls(), e)
                    .orElseGet(() -> "v2 export from " + member.name() + " failed: " + e), member.name(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SnapshotFailedException("v2 export from " + member.name() + " interrupted", member.name(), e);
        }
    }

    /**
     * Leaf keys (nodes without {@code "dir": true}) in a v2 export, read as a stream.
     *
     * @throws IOException when it is not complete JSON
     */
    public static long countKeys(InputStream export) throws IOException {
        long keys = 0;
        try (JsonParser parser = new JsonFactory().createParser(export)) {
            // a node object is one holding a "key" field; it is a directory iff it also says "dir": true
            java.util.ArrayDeque<boolean[]> nodes = new java.util.ArrayDeque<>(); // [isNode, isDir]
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token == JsonToken.START_OBJECT) {
                    nodes.push(new boolean[2]);
                } else if (token == JsonToken.END_OBJECT) {
                    boolean[] node = nodes.pop();
                    if (node[0] && !node[1]) {
                        keys++;
                    }
                } else if (token == JsonToken.FIELD_NAME && !nodes.isEmpty()) {
                    String name = parser.currentName();
                    if ("key".equals(name)) {
                        nodes.peek()[0] = true;
                    } else if ("dir".equals(name)) {
                        nodes.peek()[1] = parser.nextToken() == JsonToken.VALUE_TRUE;
                    }
                }
            }
            if (!nodes.isEmpty()) {
                throw new IOException("the v2 export ends before its JSON does (truncated)");
            }
        }
        return keys;
    }
}
