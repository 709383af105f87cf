/** The plan engine: stored plans, the decider, the engine, retry policy. Plain Java, no I/O of its own. */
package dev.cpr.restore.domain.plan;
