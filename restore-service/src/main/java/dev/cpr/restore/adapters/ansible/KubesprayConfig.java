package dev.cpr.restore.adapters.ansible;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code cpr.restore.kubespray.*}: running kubespray's {@code recover-control-plane.yml}. Every key can be set as an
 * env var ({@code CPR_RESTORE_KUBESPRAY_DIR}, ...).
 */
@ConfigMapping(prefix = "cpr.restore.kubespray")
public interface KubesprayConfig {

    /** The kubespray checkout (where ansible-playbook runs). Needed only for the kubespray plan. */
    Optional<String> dir();

    /**
     * The cluster's kubespray inventory directory, relative to {@code dir} unless absolute; {@code {cluster}} is the
     * cluster id. Its {@code group_vars} and {@code host_vars} are linked next to the inventory cpr writes.
     */
    @WithDefault("inventory/{cluster}")
    String inventoryDir();

    /** cpr's own files per plan: {@code <work-dir>/<cluster>/<plan>/hosts.ini}, the playbook log, the done marker. */
    @WithDefault("${java.io.tmpdir}/cpr/kubespray")
    String workDir();

    @WithDefault("ansible-playbook")
    String ansiblePlaybook();

    @WithDefault("recover-control-plane.yml")
    String playbook();

    @WithDefault("10")
    int etcdRetries();

    /** Appended to the command line, e.g. {@code --become,-e,@inventory/mycluster/extra-vars.yml}. */
    Optional<List<String>> extraArgs();

    /** Added to ansible-playbook's environment (e.g. {@code ANSIBLE_CONFIG}). */
    Map<String, String> env();

    /** A kubespray run on real nodes takes long: the process tree is killed after this. */
    @WithDefault("60m")
    Duration timeout();

    @WithDefault("1s")
    Duration pollInterval();

    /** How long the cluster may take to show every member healthy with one leader after the playbook. */
    @WithDefault("120s")
    Duration verifyTimeout();

    /** How many last output lines of the playbook go into the step's output. */
    @WithDefault("40")
    int outputTailLines();
}
