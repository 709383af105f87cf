package dev.cpr.console.adapters.web;

import dev.cpr.console.adapters.security.CookieTokenAuthentication;
import jakarta.ws.rs.core.NewCookie;

/**
 * The dashboard's login cookie, set the same way by both logins (a token typed in, an SSO access token): HttpOnly so
 * no script reads it, SameSite=Strict so no other site's form rides on it.
 */
final class LoginCookie {

    private LoginCookie() {
    }

    static NewCookie holding(String token, boolean secure) {
        return new NewCookie.Builder(CookieTokenAuthentication.COOKIE).value(token).path("/").httpOnly(true)
                .secure(secure).sameSite(NewCookie.SameSite.STRICT).build();
    }

    static NewCookie gone() {
        return new NewCookie.Builder(CookieTokenAuthentication.COOKIE).value("").path("/").maxAge(0).httpOnly(true)
                .sameSite(NewCookie.SameSite.STRICT).build();
    }
}
