package dev.autotune.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Issue 13 item 2: a run's liveness is an OS lock its runner holds, asked without being taken. */
class FileRunLivenessTest {
    @TempDir
    Path dir;

    @Test
    void aHeldLeaseIsHeldAndOnlyOneHolderGetsIt() {
        FileRunLiveness liveness = FileRunLiveness.forDatabase(dir.resolve("a.db"));
        String run = UUID.randomUUID().toString();
        try (RunLiveness.Lease lease = liveness.tryHold(run).orElseThrow()) {
            assertThat(liveness.probe(run)).isEqualTo(RunLiveness.State.HELD);
            // a second holder in this JVM (a parallel tune trial, a recovery) does not get it either
            assertThat(liveness.tryHold(run)).isEmpty();
            assertThat(liveness.probe(run)).isEqualTo(RunLiveness.State.HELD);
        }
        // let go at the end of the run (or by the OS when the runner dies); the next holder gets it
        assertThat(liveness.probe(run)).isEqualTo(RunLiveness.State.FREE);
        try (RunLiveness.Lease recovery = liveness.tryHold(run).orElseThrow()) {
            assertThat(liveness.probe(run)).isEqualTo(RunLiveness.State.HELD);
        }
    }

    @Test
    void aLeaseFileNobodyHoldsIsFreeAndAMissingOneUnknown() throws Exception {
        FileRunLiveness liveness = FileRunLiveness.forDatabase(dir.resolve("a.db"));
        String run = UUID.randomUUID().toString();
        assertThat(liveness.probe(run)).isEqualTo(RunLiveness.State.UNKNOWN);
        assertThat(Files.exists(liveness.file(run))).isFalse(); // asking creates nothing
        // what a runner killed hard leaves behind: the file, unlocked by the OS
        Files.createDirectories(liveness.file(run).getParent());
        Files.createFile(liveness.file(run));
        assertThat(liveness.probe(run)).isEqualTo(RunLiveness.State.FREE);
    }

    @Test
    void aSymlinkedDatabaseAsksTheLeasesOfItsTarget() throws Exception {
        Path realDir = Files.createDirectory(dir.resolve("data"));
        Path real = Files.createFile(realDir.resolve("real.db"));
        Path link = Files.createSymbolicLink(dir.resolve("link.db"), real);
        Path linkDir = Files.createSymbolicLink(dir.resolve("alias"), realDir);
        String run = UUID.randomUUID().toString();
        try (RunLiveness.Lease lease = FileRunLiveness.forDatabase(link).tryHold(run).orElseThrow()) {
            assertThat(FileRunLiveness.forDatabase(real).probe(run)).isEqualTo(RunLiveness.State.HELD);
            assertThat(FileRunLiveness.forDatabase(linkDir.resolve("real.db")).probe(run))
                    .isEqualTo(RunLiveness.State.HELD);
            assertThat(FileRunLiveness.forDatabase(link).file(run))
                    .isEqualTo(realDir.toRealPath().resolve("real.db.live").resolve(run + ".lock"));
        }
    }

    @Test
    void onlyRunIdsBecomePaths() {
        FileRunLiveness liveness = FileRunLiveness.forDatabase(dir.resolve("a.db"));
        assertThatThrownBy(() -> liveness.probe("../../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
    }
}
