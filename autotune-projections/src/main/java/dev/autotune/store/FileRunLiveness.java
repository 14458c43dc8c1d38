package dev.autotune.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Run leases as OS file locks: {@code <real database path>.live/<run id>.lock}. The directory sits next to the
 * database's real path (symlinks resolved, as for {@link WriteLock}), so every command that reaches the same database
 * asks the same file, wherever runs/ is. The runner creates and locks the file before its run is recorded and
 * unlocks it after its last event; a runner killed hard leaves it unlocked too, which is how it is found dead (only
 * running experiments are asked about).
 *
 * <p>A lease file is never deleted: it is empty, and a file deleted while another process has it open would let two
 * processes each lock "the" lease, one on the deleted file and one on its replacement (two recoveries of one run at
 * once). So every run keeps its one empty file.
 */
public final class FileRunLiveness implements RunLiveness {
    /** Run ids are UUIDs; anything else must not become a path. */
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

    /**
     * Leases this JVM holds (a parallel tune runs several trials in one process). They are answered from here without
     * opening the file again: on Linux closing any descriptor of a file drops every POSIX lock the process has on it,
     * so a probe that opened and closed the file would release the lease it was asking about.
     */
    private static final Set<Path> HELD_HERE = ConcurrentHashMap.newKeySet();

    private final Path dir;

    public FileRunLiveness(Path dir) {
        this.dir = dir;
    }

    /** The leases of the database at {@code db}, wherever it is reached from. */
    public static FileRunLiveness forDatabase(Path db) {
        Path real = WriteLock.realPath(db.toAbsolutePath().normalize());
        return new FileRunLiveness(real.resolveSibling(real.getFileName() + ".live"));
    }

    Path file(String runId) {
        if (runId == null || !SAFE_ID.matcher(runId).matches()) {
            throw new IllegalArgumentException("not a run id: " + runId);
        }
        return dir.resolve(runId + ".lock");
    }

    @Override
    public Optional<Lease> tryHold(String runId) {
        Path file = file(runId);
        if (!HELD_HERE.add(file)) {
            return Optional.empty();
        }
        FileChannel channel = null;
        try {
            Files.createDirectories(dir);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = tryLock(channel);
            if (lock == null) {
                channel.close();
                HELD_HERE.remove(file);
                return Optional.empty();
            }
            FileChannel held = channel;
            return Optional.of(new Lease() {
                private boolean released;

                @Override
                public synchronized void close() {
                    if (!released) {
                        released = true;
                        release(file, held);
                    }
                }
            });
        } catch (IOException | RuntimeException e) {
            close(channel);
            HELD_HERE.remove(file);
            throw new StoreException("cannot take the run lease " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public State probe(String runId) {
        Path file = file(runId);
        if (HELD_HERE.contains(file)) {
            return State.HELD;
        }
        // never CREATE here: a missing lease is UNKNOWN, and a file created by a prober would be a lease nobody holds
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            FileLock lock = tryLock(channel);
            if (lock == null) {
                return State.HELD;
            }
            lock.release();
            return State.FREE;
        } catch (NoSuchFileException e) {
            return State.UNKNOWN;
        } catch (IOException e) {
            // a lease that cannot be asked is not proof of death: leave the run alone
            return State.HELD;
        }
    }

    /** The lock, or null when another process (or, against all care, another channel of this JVM) holds it. */
    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException heldHere) {
            return null;
        }
    }

    private static void release(Path file, FileChannel channel) {
        close(channel);
        HELD_HERE.remove(file);
    }

    private static void close(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing releases the lock; nothing else to do
            }
        }
    }
}
