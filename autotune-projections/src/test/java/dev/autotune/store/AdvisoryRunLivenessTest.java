package dev.autotune.store;

import dev.autotune.store.testing.PostgresCluster;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Run leases on a real PostgreSQL server, asked from a second connection pool as another machine would. */
class AdvisoryRunLivenessTest {
    @Test
    void aLeaseIsHeldUntilItsSessionEndsAndOnlyOneHolderAtATime() {
        PostgresCluster pg = PostgresCluster.get();
        DatabaseUrl url = DatabaseUrl.parse(pg.url(pg.freshDatabase("leases")), Map.of());
        String run = UUID.randomUUID().toString();
        try (Database runner = Database.open(url); Database other = Database.open(url)) {
            RunLiveness mine = runner.runLiveness();
            RunLiveness theirs = other.runLiveness();
            assertThat(theirs.probe(run)).isEqualTo(RunLiveness.State.FREE);
            try (RunLiveness.Lease lease = mine.tryHold(run).orElseThrow()) {
                assertThat(theirs.probe(run)).isEqualTo(RunLiveness.State.HELD);
                assertThat(theirs.tryHold(run)).isEmpty();
                // a probe does not take the lease away from its holder
                assertThat(theirs.probe(run)).isEqualTo(RunLiveness.State.HELD);
                assertThat(theirs.probe(UUID.randomUUID().toString())).isEqualTo(RunLiveness.State.FREE);
            }
            assertThat(theirs.probe(run)).isEqualTo(RunLiveness.State.FREE);
            try (RunLiveness.Lease again = theirs.tryHold(run).orElseThrow()) {
                assertThat(mine.probe(run)).isEqualTo(RunLiveness.State.HELD);
            }
        }
    }
}
