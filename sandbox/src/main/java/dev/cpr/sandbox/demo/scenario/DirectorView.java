package dev.cpr.sandbox.demo.scenario;

import dev.cpr.bosh.BoshDirectorClient;
import dev.cpr.bosh.BoshException;
import dev.cpr.bosh.BoshInstance;
import java.util.List;

/**
 * The BOSH director as the scenarios judge it: from outside, through cpr's BOSH client, as an operator's
 * {@code bosh -d <deployment> is} would show it. Never through the simulator's own objects.
 */
final class DirectorView {

    private static final String MASTER = "master";

    private final BoshDirectorClient client;
    private final String deployment;

    DirectorView(BoshDirectorClient client, String deployment) {
        this.client = client;
        this.deployment = deployment;
    }

    /** Every master has a VM and its job is running, and there are {@code masters} of them. */
    boolean allMastersRunning(int masters) {
        try {
            List<BoshInstance> instances = masters();
            return instances.size() == masters
                    && instances.stream().allMatch(i -> i.vmCid() != null && BoshInstance.RUNNING.equals(i.jobState()));
        } catch (BoshException e) {
            return false;
        }
    }

    /** {@code GET /deployments} lists the deployment (a rebuilt director does not, until its state is restored). */
    boolean knowsDeployment() {
        try {
            return client.deployments().stream().anyMatch(d -> deployment.equals(d.name()));
        } catch (BoshException e) {
            return false;
        }
    }

    /** The director answers {@code /info}. */
    boolean answers() {
        try {
            client.info();
            return true;
        } catch (BoshException e) {
            return false;
        }
    }

    /** {@code master/<uuid> running, ...}: for the JSON line and the progress log. */
    String describeMasters() {
        try {
            return String.join(", ", masters().stream()
                    .map(i -> i.jobName() + "/" + i.id() + " " + (i.vmCid() == null ? "no VM" : i.jobState())).toList());
        } catch (BoshException e) {
            return "not listed: " + e.getMessage();
        }
    }

    private List<BoshInstance> masters() {
        return client.instances(deployment).stream().filter(i -> MASTER.equals(i.jobName())).toList();
    }
}
