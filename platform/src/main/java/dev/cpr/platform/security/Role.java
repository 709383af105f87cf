package dev.cpr.platform.security;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a caller may do. Each role includes the ones below it: an operator can also read, an admin can
 * also trigger and approve. Resources name the least role they need in {@code @RolesAllowed}.
 */
public enum Role {
    /** Reads clusters, incidents, plans, backups. */
    VIEWER,
    /** Triggers backups and recoveries, approves and rejects plans, cancels them. */
    OPERATOR,
    /** Changes configuration. */
    ADMIN;

    public static final String VIEWER_NAME = "viewer";
    public static final String OPERATOR_NAME = "operator";
    public static final String ADMIN_NAME = "admin";

    public String roleName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role names a caller with this role holds: its own and every lower one. */
    public Set<String> grantedRoleNames() {
        return Arrays.stream(values()).filter(r -> r.ordinal() <= ordinal()).map(Role::roleName)
                .collect(Collectors.toUnmodifiableSet());
    }

    public static Role parse(String text) {
        for (Role role : values()) {
            if (role.roleName().equals(text == null ? "" : text.trim().toLowerCase(Locale.ROOT))) {
                return role;
            }
        }
        throw new IllegalArgumentException("unknown role '" + text + "' (viewer, operator or admin)");
    }
}
