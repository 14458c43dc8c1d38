package dev.autotune.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A read-only command keeps one SQLite connection for all its reads (see {@code Database.read}). That must never
 * make it read an old state: what another process committed in between is seen by the next read.
 */
class KeptReadConnectionTest {
    @TempDir
    Path dir;

    @Test
    void theNextReadSeesWhatAnotherWriterCommittedInBetween() {
        Path file = dir.resolve("a.db");
        try (Database reader = Database.open(file); Database writer = Database.open(file)) {
            assertThat(reader.projectionPosition()).isZero();
            for (long position = 1; position <= 3; position++) {
                setPosition(writer, position * 10);
                assertThat(reader.projectionPosition()).isEqualTo(position * 10);
                assertThat(reader.currentPosition()).isEqualTo(position * 10);
            }
        }
    }

    @Test
    void readsGoOnAfterTheDatabaseStartsItsPoolForAWrite() {
        Path file = dir.resolve("b.db");
        try (Database db = Database.open(file)) {
            assertThat(db.projectionPosition()).isZero();
            // the first write opens the pool, which replaces the kept connection
            setPosition(db, 7);
            assertThat(db.projectionPosition()).isEqualTo(7);
        }
    }

    private static void setPosition(Database db, long position) {
        db.inTransaction(c -> {
            try (var st = c.prepareStatement("INSERT INTO projection_position (processor_name, position) VALUES (?, ?)"
                    + " ON CONFLICT (processor_name) DO UPDATE SET position = excluded.position")) {
                st.setString(1, Database.PROJECTIONS);
                st.setLong(2, position);
                return st.executeUpdate();
            }
        });
    }
}
