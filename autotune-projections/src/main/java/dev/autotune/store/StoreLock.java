package dev.autotune.store;

/**
 * The store's exclusive write section: one writer at a time across threads, processes and, on a server, machines.
 * Reentrant on the owning thread. A SQLite file queues writers on a lock file beside it ({@link WriteLock}); a
 * PostgreSQL database on an advisory lock ({@link AdvisoryLock}). Both are dropped when the holder dies.
 */
public interface StoreLock {
    void lock();

    void unlock();
}
