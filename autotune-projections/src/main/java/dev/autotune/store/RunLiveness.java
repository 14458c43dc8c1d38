package dev.autotune.store;

import java.util.Optional;

/**
 * Whether the process running an experiment is still there. The runner holds its run's lease for the run's whole
 * life, from before the run is recorded as started until after its last event; any other command asks whether
 * someone holds it. The operating system (or, for a shared store, the database server) drops a lease when its holder
 * dies, even on kill -9, so this is not fooled by what pids, host names or clocks say: a runner in another PID
 * namespace, on a renamed host or after a wall-clock step still holds its lease. {@link FileRunLiveness} keeps leases
 * as OS file locks next to a SQLite database; a PostgreSQL store can keep them as session advisory locks.
 */
public interface RunLiveness {
    /** What {@link #probe} found. */
    enum State {
        /** Someone holds the run's lease: its runner is alive. */
        HELD,
        /** The lease exists and nobody holds it: the runner is gone (killed, crashed, power lost). */
        FREE,
        /** There is no lease to ask: the run was started by an autotune that did not take one, or it was removed. */
        UNKNOWN
    }

    /** A lease being held; closing it lets it go. */
    interface Lease extends AutoCloseable {
        @Override
        void close();
    }

    /** Takes the lease of {@code runId}; empty when another holder has it (the run is live, or being recovered). */
    Optional<Lease> tryHold(String runId);

    /** Whether the lease of {@code runId} is held, without holding it. */
    State probe(String runId);
}
