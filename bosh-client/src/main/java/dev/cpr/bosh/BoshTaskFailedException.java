package dev.cpr.bosh;

/** A director task ended in {@code error}, {@code cancelled} or {@code timeout}; the task says why in its result. */
public class BoshTaskFailedException extends BoshException {

    private final BoshTask task;

    public BoshTaskFailedException(BoshTask task) {
        super("BOSH task " + task.id() + " '" + task.description() + "' ended " + task.state()
                + (task.result() == null || task.result().isBlank() ? "" : ": " + task.result()));
        this.task = task;
    }

    public BoshTask task() {
        return task;
    }
}
