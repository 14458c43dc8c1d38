package dev.autotune.store;

import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteJDBCLoader;

/**
 * Readies sqlite-jdbc on a second thread while the main one parses the command line. A fresh JVM spends some
 * 30-40 ms there before it can open a file: loading the native library, the logging the driver starts (SLF4J,
 * then Logback) and the date format every connection configuration builds (the default time zone and the
 * locale's calendar data). None of it depends on which database a command opens, and picocli's model takes
 * longer than all of it, so on a machine with a spare core a command opening a SQLite file no longer waits for
 * it. Opening a database waits for this thread first, so the driver is never set up by two threads at once.
 */
public final class SqliteDriverPreload {
    private static Thread thread;

    private SqliteDriverPreload() {
    }

    /** Starts readying the driver in the background; a second call does nothing. */
    public static synchronized void start() {
        if (thread == null) {
            thread = new Thread(SqliteDriverPreload::load, "sqlite-preload");
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** Returns once a started preload has finished (at once when none was started). */
    static void await() {
        Thread t;
        synchronized (SqliteDriverPreload.class) {
            t = thread;
        }
        if (t == null || t == Thread.currentThread()) {
            return;
        }
        boolean interrupted = false;
        while (t.isAlive()) {
            try {
                t.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static void load() {
        try {
            SqliteNativeLibrary.useCachedCopy();
            SQLiteJDBCLoader.initialize();
            // its connection configuration builds the driver's date format, which reads the time zone and calendar
            new SQLiteConfig();
        } catch (Exception | LinkageError e) {
            // opening the database on the main thread meets the same problem and reports it there
        }
    }
}
