package dev.cpr.restore.domain.etcd;

/** The end of a command's output: the last lines say why it failed, and a step's output has to stay short. */
final class OutputTail {

    private OutputTail() {
    }

    /** The last {@code max} characters of {@code text}, marked with "..." when cut; "" for none. */
    static String tail(String text, int max) {
        if (text == null) {
            return "";
        }
        return text.length() <= max ? text : "..." + text.substring(text.length() - max);
    }
}
