package dev.autotune.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 13 item 9: a database reached through a symlink shares the lock file of the real database. */
class WriteLockTest {
    @TempDir
    Path dir;

    @Test
    void aSymlinkedDatabaseUsesTheLockOfItsTarget() throws Exception {
        Path real = Files.createFile(dir.resolve("real.db"));
        Path link = Files.createSymbolicLink(dir.resolve("link.db"), real);
        assertThat(WriteLock.forDatabase(link).lockFile()).isEqualTo(real.toRealPath().resolveSibling("real.db.lock"));
        assertThat(WriteLock.forDatabase(real).lockFile()).isEqualTo(WriteLock.forDatabase(link).lockFile());
    }

    @Test
    void aSymlinkedDirectoryAndADatabaseNotCreatedYetResolveToo() throws Exception {
        Path realDir = Files.createDirectory(dir.resolve("data"));
        Path linkDir = Files.createSymbolicLink(dir.resolve("alias"), realDir);
        assertThat(WriteLock.forDatabase(linkDir.resolve("new.db")).lockFile())
                .isEqualTo(realDir.toRealPath().resolve("new.db.lock"));
        Path dangling = Files.createSymbolicLink(dir.resolve("later.db"), realDir.resolve("target.db"));
        assertThat(WriteLock.forDatabase(dangling).lockFile()).isEqualTo(realDir.toRealPath().resolve("target.db.lock"));
    }

    @Test
    void twoProcessesThroughALinkAndTheRealPathQueueOnOneLock() throws Exception {
        Path real = Files.createFile(dir.resolve("a.db"));
        Path link = Files.createSymbolicLink(dir.resolve("b.db"), real);
        Database viaReal = Database.open(real);
        Database viaLink = Database.open(link);
        try {
            assertThat(Files.list(dir).map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".lock")))
                    .containsOnly("a.db.lock");
        } finally {
            viaLink.close();
            viaReal.close();
        }
    }
}
