package dev.cpr.notifier.domain;

/**
 * A text progress bar such as {@code ▰▰▰▱▱ 3/5}: one cell per step up to {@value #MAX_CELLS} cells; beyond
 * that the filled cells are {@code floor(done × cells / total)}, so the bar is full only when every step is.
 */
public final class ProgressBar {

    static final int MAX_CELLS = 10;
    static final char FILLED = '▰';
    static final char EMPTY = '▱';

    private ProgressBar() {
    }

    public static String render(int done, int total) {
        if (total < 0 || done < 0 || done > total) {
            throw new IllegalArgumentException("progress " + done + "/" + total + " is not a fraction");
        }
        int cells = total == 0 ? 5 : Math.min(total, MAX_CELLS);
        int filled = total == 0 ? 0 : (int) ((long) done * cells / total);
        return String.valueOf(FILLED).repeat(filled) + String.valueOf(EMPTY).repeat(cells - filled) + " " + done + "/" + total;
    }
}
