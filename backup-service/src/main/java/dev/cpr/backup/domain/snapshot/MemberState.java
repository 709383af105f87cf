package dev.cpr.backup.domain.snapshot;

/**
 * What a member answered about its keyspace: its current revision and the live keys at that revision
 * (one consistent count-only range).
 */
public record MemberState(long revision, long keyCount) {
}
