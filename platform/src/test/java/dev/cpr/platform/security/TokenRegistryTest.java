package dev.cpr.platform.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TokenRegistryTest {

    @Test
    void aKnownTokenNamesItsCallerAndRole() {
        TokenRegistry registry = TokenRegistry.parse(List.of("grafana=viewer:aaaaaaaaaaaa1", " ops = operator : bbbbbbbbbbbb2 "));

        assertThat(registry.lookup("aaaaaaaaaaaa1")).contains(new Caller("grafana", Role.VIEWER));
        assertThat(registry.lookup("bbbbbbbbbbbb2")).contains(new Caller("ops", Role.OPERATOR));
        assertThat(registry.lookup("cccccccccccc3")).isEmpty();
        assertThat(registry.lookup("")).isEmpty();
    }

    @Test
    void rolesIncludeEveryLowerRole() {
        assertThat(Role.ADMIN.grantedRoleNames()).containsExactlyInAnyOrder("viewer", "operator", "admin");
        assertThat(Role.VIEWER.grantedRoleNames()).containsExactly("viewer");
    }

    @Test
    void aMalformedEntryIsNamedByPositionWithoutRevealingTheToken() {
        assertThatThrownBy(() -> TokenRegistry.parse(List.of("a=viewer:aaaaaaaaaaaa1", "b=superuser:bbbbbbbbbbbb2")))
                .hasMessage("cpr.auth.tokens[1] (b): unknown role 'superuser' (viewer, operator or admin)")
                .hasMessageNotContaining("bbbbbbbbbbbb2");
        assertThatThrownBy(() -> TokenRegistry.parse(List.of("no-role-here")))
                .hasMessage("cpr.auth.tokens[0]: expected name=role:token");
    }

    @Test
    void shortAndSharedTokensAreRefused() {
        assertThatThrownBy(() -> TokenRegistry.parse(List.of("a=viewer:short")))
                .hasMessageContaining("at least 12 characters");
        assertThatThrownBy(() -> TokenRegistry.parse(List.of("a=viewer:aaaaaaaaaaaa1", "b=admin:aaaaaaaaaaaa1")))
                .hasMessageContaining("the same token is given to two names");
    }
}
