package dev.cpr.console.domain;

import java.util.Locale;

/** Byte counts as people read them: {@code 512 B}, {@code 12.3 MiB}, {@code 2 GiB} (powers of 1024, as etcd's quota). */
public final class Sizes {

    private static final String[] UNITS = {"KiB", "MiB", "GiB", "TiB"};

    private Sizes() {
    }

    public static String human(Long bytes) {
        if (bytes == null) {
            return "-";
        }
        if (bytes < 1024) {
            return bytes + " B";
        }
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        String number = String.format(Locale.ROOT, "%.1f", value);
        // a quota is usually a round number: "2 GiB" reads better than "2.0 GiB"
        return (number.endsWith(".0") ? number.substring(0, number.length() - 2) : number) + " " + UNITS[unit];
    }
}
