package dev.cpr.notifier.app;

import dev.cpr.notifier.config.SlackSettings;
import dev.cpr.notifier.domain.SlackDeliveryException;
import dev.cpr.notifier.domain.SlackPort;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Who may approve, reject, back up and recover from Slack: the user ids of {@code cpr.slack.approvers}, and the
 * members of {@code cpr.slack.approver-group} (looked up with {@code usergroups.users.list}, cached for
 * {@code approver-group-ttl}; when the lookup fails, the last known members are used, and nobody from the group
 * if there are none). Blocking (the group lookup): call off the event loop.
 */
@ApplicationScoped
public class ApproverPolicy {

    private static final Logger LOG = Logger.getLogger(ApproverPolicy.class);

    private final Set<String> users;
    private final String group;
    private final SlackPort slack;
    private final Clock clock;
    private final java.time.Duration ttl;
    private Set<String> groupMembers = Set.of();
    private Instant groupFetchedAt;

    ApproverPolicy(SlackSettings settings, SlackPort slack, Clock clock) {
        this.users = settings.approvers().orElse(List.of()).stream().map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
        this.group = settings.approverGroup().map(String::trim).filter(s -> !s.isEmpty()).orElse(null);
        this.slack = slack;
        this.clock = clock;
        this.ttl = settings.approverGroupTtl();
        if (users.isEmpty() && group == null) {
            LOG.warn("no cpr.slack.approvers nor cpr.slack.approver-group: nobody can approve from Slack");
        }
    }

    public boolean isAllowed(String slackUserId) {
        if (slackUserId == null || slackUserId.isBlank()) {
            return false;
        }
        return users.contains(slackUserId) || (group != null && groupMembers().contains(slackUserId));
    }

    private synchronized Set<String> groupMembers() {
        Instant now = clock.instant();
        if (groupFetchedAt == null || groupFetchedAt.plus(ttl).isBefore(now)) {
            try {
                groupMembers = Set.copyOf(slack.userGroupMembers(group, "approver-group=" + group));
                groupFetchedAt = now;
            } catch (SlackDeliveryException e) {
                LOG.warnf("cannot list the members of approver group %s (%s); using the %d last known",
                        group, e.getMessage(), groupMembers.size());
            }
        }
        return groupMembers;
    }
}
