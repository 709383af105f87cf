package dev.cpr.bosh;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach one BOSH director.
 *
 * @param url              the director, e.g. {@code https://10.0.0.6:25555} (a path, if any, is ignored)
 * @param caCert           PEM file with the CA certificate(s) the director and its UAA are signed by, or null
 *                         for the JVM's default trust store
 * @param client           the UAA client id ({@code BOSH_CLIENT}), or the basic-auth user when {@code /info}
 *                         says {@code basic}
 * @param clientSecret     the UAA client secret ({@code BOSH_CLIENT_SECRET}), or the basic-auth password
 * @param connectTimeout   how long opening a connection may take
 * @param requestTimeout   how long one request may wait for its answer (a hanging director fails with
 *                         {@link BoshTimeoutException} naming the call)
 * @param taskPollInterval how often a task is polled while it runs (bosh-cli: 500 ms)
 * @param taskTimeout      how long a task may run before {@link BoshDirectorClient#awaitTask} gives up
 */
public record BoshDirectorConfig(
        URI url,
        Path caCert,
        String client,
        String clientSecret,
        Duration connectTimeout,
        Duration requestTimeout,
        Duration taskPollInterval,
        Duration taskTimeout) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_TASK_POLL_INTERVAL = Duration.ofMillis(500);
    public static final Duration DEFAULT_TASK_TIMEOUT = Duration.ofMinutes(30);

    public BoshDirectorConfig {
        Objects.requireNonNull(url, "url");
        if (url.getScheme() == null || url.getHost() == null) {
            throw new IllegalArgumentException("BOSH director url must be absolute, like https://10.0.0.6:25555, not '"
                    + url + "'");
        }
        connectTimeout = positive(connectTimeout, DEFAULT_CONNECT_TIMEOUT, "connectTimeout");
        requestTimeout = positive(requestTimeout, DEFAULT_REQUEST_TIMEOUT, "requestTimeout");
        taskPollInterval = positive(taskPollInterval, DEFAULT_TASK_POLL_INTERVAL, "taskPollInterval");
        taskTimeout = positive(taskTimeout, DEFAULT_TASK_TIMEOUT, "taskTimeout");
    }

    /** Default timeouts and polling, the JVM's trust store. */
    public static BoshDirectorConfig of(String url, String client, String clientSecret) {
        return new BoshDirectorConfig(URI.create(url), null, client, clientSecret, null, null, null, null);
    }

    public BoshDirectorConfig withCaCert(Path pemFile) {
        return new BoshDirectorConfig(url, pemFile, client, clientSecret, connectTimeout, requestTimeout,
                taskPollInterval, taskTimeout);
    }

    public BoshDirectorConfig withTimeouts(Duration connect, Duration request) {
        return new BoshDirectorConfig(url, caCert, client, clientSecret, connect, request, taskPollInterval,
                taskTimeout);
    }

    public BoshDirectorConfig withTaskPolling(Duration pollInterval, Duration timeout) {
        return new BoshDirectorConfig(url, caCert, client, clientSecret, connectTimeout, requestTimeout, pollInterval,
                timeout);
    }

    /** {@code scheme://host:port} without a trailing slash. */
    String base() {
        return url.getScheme() + "://" + url.getRawAuthority();
    }

    @Override
    public String toString() {
        // never print the secret
        return "BoshDirectorConfig[url=" + url + ", caCert=" + caCert + ", client=" + client
                + ", connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout
                + ", taskPollInterval=" + taskPollInterval + ", taskTimeout=" + taskTimeout + "]";
    }

    private static Duration positive(Duration value, Duration fallback, String name) {
        if (value == null) {
            return fallback;
        }
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, not " + value);
        }
        return value;
    }
}
