package dev.cpr.bosh;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.Map;

/** {@code GET /info}: who the director is and how to authenticate to it. */
public record BoshInfo(
        String name,
        String uuid,
        String version,
        String user,
        String cpi,
        UserAuthentication userAuthentication,
        Map<String, Object> features) {

    /** @param type {@code uaa} (options carry its {@code url}) or {@code basic} */
    public record UserAuthentication(String type, Map<String, Object> options) {

        @JsonIgnore
        public boolean isUaa() {
            return "uaa".equals(type);
        }

        /** The UAA's base URL from the options, or null. */
        @JsonIgnore
        public String uaaUrl() {
            Object url = options == null ? null : options.get("url");
            return url == null ? null : url.toString();
        }
    }
}
