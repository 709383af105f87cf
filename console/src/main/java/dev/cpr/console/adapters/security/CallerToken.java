package dev.cpr.console.adapters.security;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Cookie;

/** The caller's own token, as it came (header or login cookie), to pass on to the service that owns the data. */
public final class CallerToken {

    private CallerToken() {
    }

    public static String of(HttpHeaders headers) {
        String header = headers.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, "bearer ", 0, 7)) {
            return header.substring(7).trim();
        }
        Cookie cookie = headers.getCookies().get(CookieTokenAuthentication.COOKIE);
        return cookie == null ? null : cookie.getValue();
    }
}
