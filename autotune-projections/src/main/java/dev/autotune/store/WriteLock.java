package dev.autotune.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One writer at a time, across threads and across processes. SQLite's own busy handler sleep-polls and starves
 * waiters, so writers queue here first: a fair JVM lock orders the threads of this process, and an OS lock on a
 * side file orders processes (the OS drops it when a process dies, even on kill -9). A file lock alone is not
 * enough, because the JVM refuses a second lock on the same file from another thread of the same process.
 */
public final class WriteLock implements StoreLock {
    private final ReentrantLock jvmLock = new ReentrantLock(true);
    private final Path lockFile;
    private FileChannel channel;
    private FileLock fileLock;

    public WriteLock(Path lockFile) {
        this.lockFile = lockFile;
    }

    /**
     * The lock of the database file itself, wherever it is reached from: {@code <real path>.lock}. Writers that
     * open the same database through a symlink (or a symlinked directory) must queue on one lock file, or they
     * would each hold "the" lock while writing the same file.
     */
    public static WriteLock forDatabase(Path db) {
        return new WriteLock(Path.of(realPath(db.toAbsolutePath().normalize()) + ".lock"));
    }

    /** The path with every symlink resolved; for a file not created yet, its directory's real path. */
    static Path realPath(Path file) {
        try {
            return file.toRealPath();
        } catch (IOException missing) {
            Path dir = file.getParent();
            if (dir == null || file.getFileName() == null) {
                return file;
            }
            try {
                // a dangling symlink would be created at its target; follow it one step like SQLite does
                if (Files.isSymbolicLink(file)) {
                    return realPath(dir.resolve(Files.readSymbolicLink(file)).normalize());
                }
                return dir.toRealPath().resolve(file.getFileName());
            } catch (IOException e) {
                return file;
            }
        }
    }

    Path lockFile() {
        return lockFile;
    }

    @Override
    public void lock() {
        jvmLock.lock();
        if (jvmLock.getHoldCount() > 1) {
            return;
        }
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            fileLock = channel.lock();
        } catch (IOException | RuntimeException e) {
            closeChannel();
            jvmLock.unlock();
            throw new StoreException("cannot lock " + lockFile + " for writing: " + e.getMessage(), e);
        }
    }

    @Override
    public void unlock() {
        try {
            if (jvmLock.getHoldCount() == 1) {
                try {
                    if (fileLock != null) {
                        fileLock.release();
                    }
                } catch (IOException ignored) {
                    // closing the channel below releases it too
                } finally {
                    fileLock = null;
                    closeChannel();
                }
            }
        } finally {
            jvmLock.unlock();
        }
    }

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing else to release
            }
            channel = null;
        }
    }
}
