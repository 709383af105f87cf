package dev.cpr.restore.domain.etcd;

/**
 * What one member answered to a status request.
 *
 * @param leaderId 0 while the member knows no leader
 */
public record MemberStatus(String clientUrl, long memberId, long leaderId, long raftIndex, long revision) {

    public boolean hasLeader() {
        return leaderId != 0;
    }

    public boolean isLeader() {
        return leaderId != 0 && leaderId == memberId;
    }
}
