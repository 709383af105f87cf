package dev.cpr.restore.adapters.ssh;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;

/**
 * Host keys checked against a known_hosts file, strictly (OpenSSH's {@code StrictHostKeyChecking=yes}): a
 * host whose key is not listed, or listed with another key (changed), or marked {@code @revoked}, is refused.
 * Nothing is ever added to the file. The file is read at each connection, so an operator's edit takes effect
 * without a restart. The reason of a refusal is kept per session ({@link #takeRefusal}) for the error message.
 * <p>
 * Hosts are matched as the inventory names them (name or address), with {@code [host]:port} for ports other
 * than 22, hashed entries included.
 */
public final class StrictKnownHosts implements ServerKeyVerifier {

    /** Why a session's host key was refused (weak keys: a closed, forgotten session goes away). */
    private final Map<ClientSession, String> refusals = Collections.synchronizedMap(new WeakHashMap<>());
    private final Path knownHosts;

    public StrictKnownHosts(Path knownHosts) {
        this.knownHosts = knownHosts;
    }

    public Path file() {
        return knownHosts;
    }

    @Override
    public boolean verifyServerKey(ClientSession session, SocketAddress remoteAddress, PublicKey serverKey) {
        String host;
        int port;
        SocketAddress connect = session.getConnectAddress() != null ? session.getConnectAddress() : remoteAddress;
        if (connect instanceof InetSocketAddress inet) {
            host = inet.getHostString();
            port = inet.getPort();
        } else {
            host = String.valueOf(connect);
            port = 22;
        }
        String refusal = refusal(session, host, port, serverKey);
        if (refusal != null) {
            refusals.put(session, refusal);
            return false;
        }
        return true;
    }

    /** Why this session's host key was refused, if it was; forgets it. */
    public String takeRefusal(ClientSession session) {
        return refusals.remove(session);
    }

    /** @return why the key is refused, or null when it is known for this host */
    String refusal(ClientSession session, String host, int port, PublicKey serverKey) {
        String shown = host + (port == 22 ? "" : ":" + port);
        String fingerprint = KeyUtils.getKeyType(serverKey) + " " + KeyUtils.getFingerPrint(serverKey);
        if (!Files.isReadable(knownHosts)) {
            return "host key of " + shown + " (" + fingerprint + ") cannot be checked: known_hosts file " + knownHosts
                    + " is missing or unreadable (cpr.restore.ssh.known-hosts)";
        }
        List<KnownHostEntry> entries;
        try {
            entries = KnownHostEntry.readKnownHostEntries(knownHosts);
        } catch (IOException | RuntimeException e) {
            return "host key of " + shown + " cannot be checked: known_hosts file " + knownHosts + " is unreadable: "
                    + e.getMessage();
        }
        List<String> otherKeys = new ArrayList<>();
        boolean matched = false;
        for (KnownHostEntry entry : entries) {
            if (!entry.isHostMatch(host, port)) {
                continue;
            }
            String marker = entry.getMarker();
            if (marker != null && marker.equalsIgnoreCase("cert-authority")) {
                continue;
            }
            PublicKey listed = key(session, entry.getKeyEntry());
            if (listed == null) {
                continue;
            }
            boolean same = KeyUtils.compareKeys(listed, serverKey);
            if (marker != null && marker.equalsIgnoreCase("revoked")) {
                if (same) {
                    return "host key of " + shown + " (" + fingerprint + ") is marked @revoked in " + knownHosts;
                }
                continue;
            }
            if (same) {
                matched = true;
            } else {
                otherKeys.add(KeyUtils.getKeyType(listed) + " " + KeyUtils.getFingerPrint(listed));
            }
        }
        if (matched) {
            return null;
        }
        if (!otherKeys.isEmpty()) {
            return "host key of " + shown + " has CHANGED: it offers " + fingerprint + " but " + knownHosts
                    + " lists " + otherKeys + " (a reinstalled node, or someone in the middle): refused";
        }
        return "host key of " + shown + " (" + fingerprint + ") is unknown: it is not in " + knownHosts
                + " (add it with ssh-keyscan after checking it): refused";
    }

    private static PublicKey key(ClientSession session, AuthorizedKeyEntry entry) {
        if (entry == null) {
            return null;
        }
        try {
            return entry.resolvePublicKey(session, PublicKeyEntryResolver.IGNORING);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            return null;
        }
    }
}
