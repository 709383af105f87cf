package dev.cpr.sandbox.demo.launcher;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The bearer tokens one local world's services accept, one per role, made fresh for each world and
 * written to {@code .cpr/sandbox.json} so an operator can call the APIs by hand.
 */
public record ApiTokens(String viewer, String operator, String admin) {

    public static ApiTokens random() {
        return new ApiTokens(token("viewer"), token("operator"), token("admin"));
    }

    /** {@code CPR_AUTH_TOKENS} for the services: {@code name=role:token,...}. */
    public String asConfig() {
        return "sandbox-viewer=viewer:" + viewer + ",sandbox-operator=operator:" + operator
                + ",sandbox-admin=admin:" + admin;
    }

    private static String token(String role) {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return "cpr-" + role + "-" + HexFormat.of().formatHex(bytes);
    }
}
