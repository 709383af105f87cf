package dev.cpr.kernel;

/**
 * The BOSH resurrector's lesson: when too much of a deployment is down at once, repairing it instance by
 * instance makes things worse (a network partition, an IaaS outage), so people must decide. Meltdown is
 * <b>at least {@code minInstances}</b> instances down <b>and at least {@code minPercent} %</b> of the
 * deployment's instances down, at the same time. BOSH's defaults are 5 and 20 %.
 *
 * <p>With BOSH's defaults a 3-master PKS deployment never reaches meltdown (it has fewer than 5 instances
 * in all unless it has many workers); lower {@code min-instances} for small deployments.
 */
public record MeltdownGuard(int minInstances, int minPercent) {

    public static final MeltdownGuard BOSH_DEFAULTS = new MeltdownGuard(5, 20);

    public MeltdownGuard {
        if (minInstances < 1) {
            throw new IllegalArgumentException("meltdown min-instances must be at least 1, was " + minInstances);
        }
        if (minPercent < 0 || minPercent > 100) {
            throw new IllegalArgumentException("meltdown min-percent must be 0..100, was " + minPercent);
        }
    }

    /** {@code down} of {@code total} instances down at once: is it a meltdown? */
    public boolean isMeltdown(int down, int total) {
        if (total <= 0 || down < minInstances) {
            return false;
        }
        // down/total >= minPercent/100, in integers
        return 100L * down >= (long) minPercent * total;
    }

    @Override
    public String toString() {
        return ">= " + minInstances + " instances and >= " + minPercent + " %";
    }
}
