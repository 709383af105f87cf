package dev.cpr.notifier.adapters.slack;

import dev.cpr.notifier.domain.SlackMessage;
import dev.cpr.notifier.domain.SlackPort;
import org.jboss.logging.Logger;

/** Delivery off: nothing leaves the service; notifications are recorded without a Slack ts. */
public final class RecordOnlySlack implements SlackPort {

    private static final Logger LOG = Logger.getLogger(RecordOnlySlack.class);

    @Override
    public Posted post(String channel, String threadTs, SlackMessage message, String context) {
        LOG.debugf("Slack delivery off, recorded only: %s (%s)", message.text(), context);
        return new Posted(channel, null);
    }

    @Override
    public void update(String channel, String ts, SlackMessage message, String context) {
        LOG.debugf("Slack delivery off, update recorded only: %s (%s)", message.text(), context);
    }
}
