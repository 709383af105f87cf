package dev.cpr.platform.security;

import dev.cpr.kernel.Sha256;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The bearer tokens a service accepts, from entries {@code name=role:token} (for instance
 * {@code CPR_AUTH_TOKENS=ops-oncall=operator:5f0c...,grafana=viewer:a1b2...}). Only SHA-256 digests of
 * the tokens are kept, and a lookup compares digests in constant time.
 */
public final class TokenRegistry {

    private static final int MIN_TOKEN_LENGTH = 12;

    private record Entry(byte[] digest, Caller caller) {
    }

    private final List<Entry> entries;

    private TokenRegistry(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** @throws IllegalArgumentException naming the bad entry (by its position and name, never its token) */
    public static TokenRegistry parse(List<String> specs) {
        List<Entry> entries = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> tokens = new HashSet<>();
        for (int i = 0; i < specs.size(); i++) {
            String spec = specs.get(i).trim();
            if (spec.isEmpty()) {
                continue;
            }
            String where = "cpr.auth.tokens[" + i + "]";
            int eq = spec.indexOf('=');
            int colon = spec.indexOf(':', Math.max(eq, 0));
            if (eq <= 0 || colon < 0) {
                throw new IllegalArgumentException(where + ": expected name=role:token");
            }
            String name = spec.substring(0, eq).trim();
            where += " (" + name + ")";
            Role role;
            try {
                role = Role.parse(spec.substring(eq + 1, colon));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
            }
            String token = spec.substring(colon + 1).trim();
            if (token.length() < MIN_TOKEN_LENGTH) {
                throw new IllegalArgumentException(where + ": the token must have at least " + MIN_TOKEN_LENGTH
                        + " characters");
            }
            if (!names.add(name)) {
                throw new IllegalArgumentException(where + ": the name is used twice");
            }
            if (!tokens.add(token)) {
                throw new IllegalArgumentException(where + ": the same token is given to two names");
            }
            entries.add(new Entry(Sha256.of(token), new Caller(name, role)));
        }
        return new TokenRegistry(entries);
    }

    public Optional<Caller> lookup(String token) {
        if (token == null || token.isBlank()) {
            return Optional.empty();
        }
        byte[] presented = Sha256.of(token.trim());
        Caller found = null;
        for (Entry entry : entries) {
            // no early exit: every lookup costs the same whichever entry matches
            if (MessageDigest.isEqual(entry.digest(), presented)) {
                found = entry.caller();
            }
        }
        return Optional.ofNullable(found);
    }

    public int size() {
        return entries.size();
    }

}
