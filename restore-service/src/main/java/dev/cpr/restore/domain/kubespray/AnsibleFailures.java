package dev.cpr.restore.domain.kubespray;

import java.util.ArrayList;
import java.util.List;

/**
 * Picks Ansible's own failure reports out of a playbook's output, so a failed step says what failed rather than
 * only how the output ended.
 */
final class AnsibleFailures {

    private static final int MAX_REPORTS = 5;
    private static final int MAX_CHARS = 600;

    private AnsibleFailures() {
    }

    /**
     * The first five reports ({@code fatal: [host]: FAILED! => ...}, {@code ERROR! ...}), each after the task it
     * failed in and with its result block when Ansible prints it over several lines, clipped; one per line.
     */
    static String in(List<String> tail) {
        List<String> reports = new ArrayList<>();
        for (int i = 0; i < tail.size() && reports.size() < MAX_REPORTS; i++) {
            String line = tail.get(i);
            if (!(line.startsWith("fatal:") || line.startsWith("ERROR!") || line.contains("FAILED!"))) {
                continue;
            }
            StringBuilder report = new StringBuilder();
            for (int t = i - 1; t >= 0 && !line.startsWith("ERROR!"); t--) {
                if (tail.get(t).startsWith("TASK [")) {
                    report.append(tail.get(t).replaceAll("\\s*\\*+$", "")).append(' ');
                    break;
                }
            }
            report.append(line);
            if (line.endsWith("{")) {
                for (int j = i + 1; j < tail.size() && j <= i + 15; j++) {
                    report.append(' ').append(tail.get(j).strip());
                    if (tail.get(j).equals("}")) {
                        i = j;
                        break;
                    }
                }
            }
            String text = report.toString();
            reports.add(text.length() <= MAX_CHARS ? text : text.substring(0, MAX_CHARS) + "...");
        }
        return String.join("\n", reports);
    }
}
