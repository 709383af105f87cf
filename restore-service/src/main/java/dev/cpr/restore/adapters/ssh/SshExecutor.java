package dev.cpr.restore.adapters.ssh;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.util.security.SecurityUtils;

/**
 * Runs one command on a node over ssh (Apache MINA SSHD client): connect (bounded), check the host key
 * strictly against known_hosts, authenticate with the configured private key only (bounded), exec the
 * command with optional stdin, wait for it (bounded), and return its exit code, stdout and stderr.
 * One session per command: nothing is left open between steps. Thread-safe; blocking.
 */
public final class SshExecutor implements AutoCloseable {

    /** Bounds of one command's connection. */
    public record Timeouts(Duration connect, Duration auth, Duration command) {
    }

    private final SshClient client;
    private final StrictKnownHosts knownHosts;
    private final Timeouts timeouts;

    /**
     * @param privateKey OpenSSH or PEM private key file (RSA, ECDSA)
     * @param passphrase its passphrase, if it is encrypted
     * @throws IllegalStateException naming the file when the key cannot be read
     */
    public SshExecutor(Path privateKey, Optional<String> passphrase, Path knownHostsFile, Timeouts timeouts) {
        this.knownHosts = new StrictKnownHosts(knownHostsFile);
        this.timeouts = timeouts;
        List<KeyPair> keys = loadKeys(privateKey, passphrase);
        SshClient c = SshClient.setUpDefaultClient();
        c.setServerKeyVerifier(knownHosts);
        c.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        c.setKeyIdentityProvider(KeyIdentityProvider.wrapKeyPairs(keys));
        c.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE));
        c.start();
        this.client = c;
    }

    static List<KeyPair> loadKeys(Path privateKey, Optional<String> passphrase) {
        if (privateKey == null) {
            throw new IllegalStateException("no ssh private key configured (cpr.restore.ssh.private-key-path)");
        }
        if (!Files.isReadable(privateKey)) {
            throw new IllegalStateException("ssh private key " + privateKey
                    + " is missing or unreadable (cpr.restore.ssh.private-key-path)");
        }
        try (InputStream in = Files.newInputStream(privateKey)) {
            FilePasswordProvider passwords = passphrase.map(FilePasswordProvider::of).orElse(FilePasswordProvider.EMPTY);
            Iterable<KeyPair> loaded = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(privateKey.toString()),
                    in, passwords);
            List<KeyPair> keys = new ArrayList<>();
            if (loaded != null) {
                loaded.forEach(keys::add);
            }
            if (keys.isEmpty()) {
                throw new IllegalStateException("ssh private key " + privateKey + " holds no key");
            }
            return keys;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            if (e instanceof IllegalStateException ise) {
                throw ise;
            }
            throw new IllegalStateException("cannot read ssh private key " + privateKey + ": " + e.getMessage(), e);
        }
    }

    public Duration commandTimeout() {
        return timeouts.command();
    }

    public StrictKnownHosts knownHosts() {
        return knownHosts;
    }

    /** Runs {@code command} with the default command timeout. */
    public CommandResult run(SshTarget target, String command, String stdin) throws SshException {
        return run(target, command, stdin, timeouts.command());
    }

    /**
     * Runs {@code command} on the target through its login shell's {@code sh -c} semantics (ssh exec).
     *
     * @param stdin written to the command's stdin, then EOF; null for none
     * @return the result, whatever the exit code
     * @throws SshException when the host cannot be reached, its key is refused, authentication fails, or
     *                      the command does not finish in time (the message names the host and why)
     */
    public CommandResult run(SshTarget target, String command, String stdin, Duration timeout) throws SshException {
        return run(target, command,
                stdin == null ? null : new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), timeout);
    }

    /**
     * As {@link #run(SshTarget, String, String, Duration)}, with stdin streamed from {@code stdin} (e.g. a snapshot
     * file copied with {@code cat > path}); the stream is read to its end, then EOF is sent.
     */
    public CommandResult run(SshTarget target, String command, InputStream stdin, Duration timeout)
            throws SshException {
        long began = System.nanoTime();
        ClientSession session = null;
        try {
            try {
                session = client.connect(target.user(), new InetSocketAddress(target.host(), target.port()), null, null)
                        .verify(timeouts.connect()).getSession();
            } catch (IOException | RuntimeException e) {
                throw new SshException("cannot connect to " + target + " within " + timeouts.connect().toMillis()
                        + " ms: " + message(e), e);
            }
            try {
                session.auth().verify(timeouts.auth());
            } catch (IOException | RuntimeException e) {
                String refusal = knownHosts.takeRefusal(session);
                if (refusal != null) {
                    throw new SshException(refusal, e);
                }
                throw new SshException("ssh authentication as " + target.user() + " on " + target.host() + ":"
                        + target.port() + " failed (public key refused?): " + message(e), e);
            }
            return exec(session, target, command, stdin, timeout, began);
        } finally {
            if (session != null) {
                try {
                    session.close();
                } catch (IOException ignored) {
                    // the command's outcome is what matters
                }
            }
        }
    }

    private static CommandResult exec(ClientSession session, SshTarget target, String command, InputStream stdin,
            Duration timeout, long began) throws SshException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (ChannelExec channel = session.createExecChannel(command)) {
            channel.setOut(out);
            channel.setErr(err);
            if (stdin != null) {
                channel.setIn(stdin);
            }
            channel.open().verify(timeout);
            Set<ClientChannelEvent> events = channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), timeout);
            Duration took = Duration.ofNanos(System.nanoTime() - began);
            if (events.contains(ClientChannelEvent.TIMEOUT)) {
                throw new SshException(target.host() + ": `" + command + "` did not finish within " + timeout.toMillis()
                        + " ms" + (err.size() > 0 ? "; stderr so far: " + CommandResult.clip(utf8(err)) : ""));
            }
            Integer exit = channel.getExitStatus();
            if (exit == null) {
                throw new SshException(target.host() + ": `" + command + "` ended without an exit status (signal "
                        + channel.getExitSignal() + ")" + (err.size() > 0 ? ": " + CommandResult.clip(utf8(err)) : ""));
            }
            return new CommandResult(target.host(), command, exit, utf8(out), utf8(err), took);
        } catch (SshException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new SshException(target.host() + ": cannot run `" + command + "`: " + message(e), e);
        }
    }

    private static String utf8(ByteArrayOutputStream bytes) {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** The exception's message, with its root cause's when that says something else. */
    private static String message(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String top = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        if (root != e && root.getMessage() != null && !top.contains(root.getMessage())) {
            return top + " (" + root.getMessage() + ")";
        }
        return top;
    }

    @Override
    public void close() {
        client.stop();
    }
}
