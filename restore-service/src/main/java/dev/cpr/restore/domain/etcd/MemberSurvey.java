package dev.cpr.restore.domain.etcd;

/**
 * What restore-service found on one member's node after quorum was lost.
 *
 * @param member      the member's inventory name
 * @param processUp   its etcd process is running
 * @param walPresent  {@code member/wal} exists in its data directory
 * @param dbPresent   {@code member/snap/db} exists in its data directory
 * @param revision    the revision it holds (from its status while it answers, else read from its db); null unknown
 * @param raftIndex   its raft index (only a running member tells it); null unknown
 * @param followsLeader it answered its status naming a leader (itself or another): it is part of a working quorum
 * @param note        how it was surveyed or why something is unknown
 */
public record MemberSurvey(String member, boolean processUp, boolean walPresent, boolean dbPresent, Long revision,
        Long raftIndex, boolean followsLeader, String note) {

    /** Both the WAL and the backend database are there: starting it again brings back what it had. */
    public boolean dataIntact() {
        return walPresent && dbPresent;
    }

    /** Down, with its data intact: it can simply be started again. */
    public boolean revivable() {
        return !processUp && dataIntact();
    }

    /** Its process runs but its status did not answer: hung, or dying (a killed process closes its sockets first). */
    public boolean runsSilent() {
        return processUp && revision == null && raftIndex == null && !followsLeader;
    }

    /** One line for plan messages and logs. */
    public String describe() {
        return member + ": " + (processUp ? "up" : "down") + ", data " + (dataIntact() ? "intact"
                : (walPresent ? "without member/snap/db" : dbPresent ? "without member/wal" : "gone"))
                + (revision != null ? ", revision " + revision : "") + (raftIndex != null ? ", raft index " + raftIndex : "")
                + (followsLeader ? ", follows a leader" : "")
                + (note == null || note.isBlank() ? "" : " (" + note + ")");
    }
}
