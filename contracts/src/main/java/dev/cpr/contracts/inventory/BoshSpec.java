package dev.cpr.contracts.inventory;

/**
 * How to reach the BOSH director of a {@code kind: bosh} cluster, and the deployment whose
 * instances run the etcd members. The client secret is given directly or, better, as the name of
 * an environment variable that holds it.
 *
 * @param instanceGroup the group whose instances run etcd (PKS: {@code master})
 * @param caCert        PEM file of the director's CA; null to use the JVM's trust store
 * @param director      how {@code bbr director} reaches the director VM, for director backups; may be null
 */
public record BoshSpec(
        String directorUrl,
        String deployment,
        String instanceGroup,
        String client,
        String clientSecret,
        String clientSecretEnv,
        String caCert,
        DirectorSsh director) {

    /** {@code bbr director --host HOST --username USER --private-key-path KEY}. */
    public record DirectorSsh(String host, String user, String privateKeyPath) {
    }

    public String instanceGroupOrDefault() {
        return instanceGroup != null ? instanceGroup : "master";
    }

    /** The secret itself: from {@code client-secret-env}'s variable if named, else {@code client-secret}. */
    public String resolveClientSecret() {
        if (clientSecretEnv != null) {
            String value = System.getenv(clientSecretEnv);
            if (value == null || value.isBlank()) {
                throw new IllegalStateException("environment variable " + clientSecretEnv
                        + " (bosh.client-secret-env) is not set");
            }
            return value;
        }
        return clientSecret;
    }
}
