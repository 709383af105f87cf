/**
 * Who vouches for a decision about a waiting plan: the plan's digest, and the rules an approval must pass (signed by
 * a trusted key or made by an authenticated operator, fresh, never seen before, naming the plan as it is now, two
 * distinct approvers where configured). Plain Java, no I/O of its own.
 */
package dev.cpr.restore.domain.approval;
