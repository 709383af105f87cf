package dev.cpr.healthmonitor.domain.bosh;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Builds BOSH observations of deployment {@code d} (3 masters, 1 worker) for the domain tests. */
final class Bosh {

    static final String DEPLOYMENT = "service-instance_56c19cfc";

    private Bosh() {
    }

    static BoshInstanceView running(String group, int index) {
        return new BoshInstanceView(group, id(group, index), index, "running", "started", "vm-" + group + index,
                "pks-az" + (index + 1), List.of("10.0.0." + (index + 2)),
                List.of(new BoshInstanceView.ProcessView("etcd", "running")));
    }

    static BoshInstanceView failing(int index) {
        return new BoshInstanceView("master", id("master", index), index, "failing", "started", "vm-master" + index,
                "pks-az" + (index + 1), List.of("10.0.0." + (index + 2)),
                List.of(new BoshInstanceView.ProcessView("etcd", "failing"),
                        new BoshInstanceView.ProcessView("kube-apiserver", "running")));
    }

    static BoshInstanceView noVm(int index) {
        return new BoshInstanceView("master", id("master", index), index, null, "started", null, "pks-az" + (index + 1),
                List.of(), List.of());
    }

    static BoshInstanceView unresponsive(int index) {
        return new BoshInstanceView("master", id("master", index), index, "unresponsive agent", "started",
                "vm-master" + index, "pks-az" + (index + 1), List.of("10.0.0." + (index + 2)), List.of());
    }

    static BoshInstanceView stopped(int index) {
        return new BoshInstanceView("master", id("master", index), index, "stopped", "stopped", "vm-master" + index,
                "pks-az" + (index + 1), List.of(), List.of());
    }

    static String id(String group, int index) {
        return (group.equals("master") ? "aaaaaaaa-0000-4000-8000-00000000000" : "bbbbbbbb-0000-4000-8000-00000000000")
                + index;
    }

    static String name(int masterIndex) {
        return "master/" + id("master", masterIndex);
    }

    /** Masters 0..2 as given (null: running) and a running worker. */
    static BoshObservation seen(Instant at, BoshInstanceView... masters) {
        List<BoshInstanceView> all = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            BoshInstanceView given = i < masters.length ? masters[i] : null;
            all.add(given != null ? given : running("master", i));
        }
        all.add(running("worker", 0));
        return BoshObservation.seen("c1", "https://10.0.0.6:25555", DEPLOYMENT, at, "p-bosh", all);
    }

    static BoshObservation unreachable(Instant at) {
        return BoshObservation.unreachable("c1", "https://10.0.0.6:25555", DEPLOYMENT, at, "connection refused");
    }
}
