package dev.cpr.restore.adapters.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SshCommandsTest {

    private final SshCommands.Target etcd1 = new SshCommands.Target("etcd1", "/var/lib/etcd",
            "https://10.0.0.1:2379", "https://10.0.0.1:2380", "node1");

    @Test
    void theSystemdDefaultsRenderTheKubesprayCommands() {
        // given the defaults for systemd hosts with /etc/etcd.env
        SshCommands commands = SshCommands.systemd();

        // when each template is rendered for a member
        // then the values are single-quoted for /bin/sh
        assertThat(commands.render(commands.isActive(), etcd1)).isEqualTo("systemctl is-active --quiet 'etcd'");
        assertThat(commands.render(commands.stop(), etcd1)).isEqualTo("systemctl stop 'etcd'");
        assertThat(commands.render(commands.start(), etcd1)).isEqualTo("systemctl start 'etcd'");
        assertThat(commands.render(commands.hasData(), etcd1)).isEqualTo("test -d '/var/lib/etcd/member'");
        assertThat(commands.render(commands.wipe(), etcd1)).isEqualTo("rm -rf -- '/var/lib/etcd/member'");
        assertThat(commands.render(commands.readEnv(), etcd1)).isEqualTo("cat '/etc/etcd.env'");
        assertThat(commands.render(commands.writeEnv(), etcd1)).isEqualTo(
                "cp -p '/etc/etcd.env' '/etc/etcd.env'.cpr-new && cat > '/etc/etcd.env'.cpr-new "
                        + "&& mv -f '/etc/etcd.env'.cpr-new '/etc/etcd.env'");
    }

    @Test
    void aPrefixWrapsTheWholeCommandInShDashC() {
        SshCommands sudo = new SshCommands("etcd", "/etc/etcd.env", "sudo -n", SshCommands.DEFAULT_IS_ACTIVE,
                SshCommands.DEFAULT_STOP, SshCommands.DEFAULT_START, SshCommands.DEFAULT_HAS_DATA,
                SshCommands.DEFAULT_WIPE, SshCommands.DEFAULT_READ_ENV, SshCommands.DEFAULT_WRITE_ENV);

        assertThat(sudo.render(sudo.wipe(), etcd1)).isEqualTo("sudo -n sh -c 'rm -rf -- '\\''/var/lib/etcd/member'\\'''");
    }

    @Test
    void theEnvFileTemplateMayNameTheMemberAndIsRenderedRaw() {
        SshCommands perMember = new SshCommands("etcd@{name}", "/etc/etcd/{name}.env", "", "true", "true", "true",
                "true", "true", SshCommands.DEFAULT_READ_ENV, "true");

        assertThat(perMember.envFileFor(etcd1)).isEqualTo("/etc/etcd/etcd1.env");
        assertThat(perMember.render(perMember.readEnv(), etcd1)).isEqualTo("cat '/etc/etcd/etcd1.env'");
    }

    @Test
    void aValueWithQuotesOrShellCharactersStaysOneWord() {
        SshCommands.Target hostile = new SshCommands.Target("x", "/var/lib/etcd/it's; rm -rf /", "u", "p", "h");

        String rendered = SshCommands.systemd().render(SshCommands.DEFAULT_WIPE, hostile);

        assertThat(rendered).isEqualTo("rm -rf -- '/var/lib/etcd/it'\\''s; rm -rf /member'");
    }

    @Test
    void anUnknownPlaceholderIsRefusedByName() {
        SshCommands commands = SshCommands.systemd();

        assertThatThrownBy(() -> commands.render("systemctl restart {service}", etcd1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown placeholder {service}");
    }
}
