package dev.cpr.restore.domain.etcd;

import java.util.List;

/**
 * One entry of etcd's member list.
 *
 * @param name empty for a member that was added but has not started yet
 */
public record EtcdMember(long id, String name, List<String> peerUrls, List<String> clientUrls) {

    public EtcdMember {
        name = name == null ? "" : name;
        peerUrls = List.copyOf(peerUrls);
        clientUrls = List.copyOf(clientUrls);
    }

    public boolean started() {
        return !name.isEmpty();
    }

    public String hexId() {
        return Long.toHexString(id);
    }
}
