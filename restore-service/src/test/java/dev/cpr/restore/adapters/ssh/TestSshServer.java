package dev.cpr.restore.adapters.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

/**
 * A real SSH server for tests (Apache MINA SSHD) on a free loopback port: a generated ECDSA host key,
 * public-key authentication for one user and one client key, and every exec request run through
 * {@code /bin/sh -c} on this machine with its stdin, stdout, stderr and exit code passed through.
 */
final class TestSshServer implements AutoCloseable {

    final KeyPair hostKey = newKey();
    final KeyPair clientKey;
    final String user;
    private final SshServer server;

    TestSshServer(String user) {
        this(user, newKey());
    }

    /** A server that accepts only {@code clientKey} for {@code user}. */
    TestSshServer(String user, KeyPair clientKey) {
        this.user = user;
        this.clientKey = clientKey;
        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        server.setPasswordAuthenticator(null);
        server.setKeyboardInteractiveAuthenticator(null);
        server.setPublickeyAuthenticator((name, key, session) ->
                user.equals(name) && KeyUtils.compareKeys(key, clientKey.getPublic()));
        server.setCommandFactory((channel, command) -> new ShellCommand(command));
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the test ssh server", e);
        }
    }

    int port() {
        return server.getPort();
    }

    static KeyPair newKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An Ed25519 key pair, the usual kind for ssh today (MINA needs Bouncy Castle for it). */
    static KeyPair newEd25519Key() {
        try {
            return org.apache.sshd.common.config.keys.KeyUtils.generateKeyPair("ssh-ed25519", 256);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an ed25519 key: " + e.getMessage(), e);
        }
    }

    /** Writes the key in OpenSSH private key format, as {@code ssh-keygen} would. */
    static Path writePrivateKey(KeyPair key, Path file) throws IOException, GeneralSecurityException {
        try (OutputStream out = Files.newOutputStream(file)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(key, "cpr-test", null, out);
        }
        return file;
    }

    /** A known_hosts line for this server's host key under {@code [127.0.0.1]:port}. */
    String knownHostsLine() {
        return knownHostsLine(hostKey);
    }

    String knownHostsLine(KeyPair key) {
        return "[127.0.0.1]:" + port() + " " + PublicKeyEntry.toString(key.getPublic());
    }

    @Override
    public void close() throws IOException {
        server.stop(true);
    }

    /** One exec request: {@code /bin/sh -c <command>}, streams copied both ways, exit code reported. */
    private static final class ShellCommand implements Command {
        private final String command;
        private InputStream in;
        private OutputStream out;
        private OutputStream err;
        private ExitCallback exit;
        private Process process;

        ShellCommand(String command) {
            this.command = command;
        }

        @Override
        public void setInputStream(InputStream in) {
            this.in = in;
        }

        @Override
        public void setOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void setErrorStream(OutputStream err) {
            this.err = err;
        }

        @Override
        public void setExitCallback(ExitCallback callback) {
            this.exit = callback;
        }

        @Override
        public void start(ChannelSession channel, Environment env) throws IOException {
            process = new ProcessBuilder(List.of("/bin/sh", "-c", command)).start();
            Thread stdin = new Thread(() -> {
                try (OutputStream toProcess = process.getOutputStream()) {
                    in.transferTo(toProcess);
                } catch (IOException ignored) {
                    // the process closed its stdin
                }
            }, "test-sshd-stdin");
            stdin.setDaemon(true);
            stdin.start();
            Thread runner = new Thread(() -> {
                int code;
                try {
                    Thread stderr = new Thread(() -> copy(process.getErrorStream(), err), "test-sshd-stderr");
                    stderr.start();
                    copy(process.getInputStream(), out);
                    stderr.join();
                    code = process.waitFor();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    code = 130;
                }
                exit.onExit(code);
            }, "test-sshd-exec");
            runner.setDaemon(true);
            runner.start();
        }

        private static void copy(InputStream from, OutputStream to) {
            byte[] buffer = new byte[8192];
            try {
                int n;
                while ((n = from.read(buffer)) >= 0) {
                    to.write(buffer, 0, n);
                    to.flush();
                }
            } catch (IOException ignored) {
                // the channel or the process went away
            }
        }

        @Override
        public void destroy(ChannelSession channel) {
            if (process != null) {
                process.destroy();
            }
        }
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
