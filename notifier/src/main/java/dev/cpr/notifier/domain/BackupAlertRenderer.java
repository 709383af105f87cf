package dev.cpr.notifier.domain;

import static dev.cpr.notifier.domain.MessageRenderer.context;
import static dev.cpr.notifier.domain.MessageRenderer.field;
import static dev.cpr.notifier.domain.MessageRenderer.fields;
import static dev.cpr.notifier.domain.MessageRenderer.header;
import static dev.cpr.notifier.domain.MessageRenderer.section;
import static dev.cpr.notifier.domain.MessageRenderer.time;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cpr.contracts.backup.BackupStatus;
import dev.cpr.contracts.backup.BackupUpdate;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders a backup that needs a person as a Block Kit message: one that FAILED (nothing usable was kept) or one a
 * restore drill found CORRUPT (it must not be restored). Other outcomes need no one and render nothing.
 */
public final class BackupAlertRenderer {

    /** Whether {@code status} is an outcome a person must hear of. */
    public static boolean alerts(BackupStatus status) {
        return status == BackupStatus.FAILED || status == BackupStatus.CORRUPT;
    }

    /** @throws IllegalArgumentException for an outcome that alerts nobody */
    public SlackMessage render(BackupUpdate backup) {
        if (!alerts(backup.status())) {
            throw new IllegalArgumentException("backup " + backup.backupId() + " is " + backup.status().wire()
                    + ": nothing to tell");
        }
        boolean failed = backup.status() == BackupStatus.FAILED;
        String what = failed ? "backup failed" : "backup is corrupt";
        ArrayNode blocks = JsonNodeFactory.instance.arrayNode();
        blocks.add(header((failed ? ":x: " : ":warning: ") + backup.clusterId() + ": " + what));
        List<ObjectNode> facts = new ArrayList<>();
        facts.add(field("Backup", "`" + backup.backupId() + "`"));
        facts.add(field("Trigger", backup.trigger() == null ? "-" : backup.trigger()));
        facts.add(field("Taken from", backup.member() == null ? "-" : backup.member()));
        facts.add(field(failed ? "Started at" : "Drilled at",
                time(failed ? backup.createdAt() : backup.updatedAt())));
        blocks.add(fields(facts));
        if (backup.verification() != null && !backup.verification().isBlank()) {
            blocks.add(section((failed ? "*Why:* " : "*The drill found:* ") + backup.verification()));
        }
        blocks.add(context(failed ? "nothing usable was kept; the next scheduled backup will try again"
                : "this backup will not be offered for restore"));
        String text = "Backup " + backup.backupId() + " of " + backup.clusterId() + ": " + what
                + (backup.verification() == null || backup.verification().isBlank() ? "" : ": " + backup.verification());
        return new SlackMessage(text, blocks);
    }
}
