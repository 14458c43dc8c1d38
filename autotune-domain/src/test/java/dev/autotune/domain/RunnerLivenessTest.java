package dev.autotune.domain;

import dev.autotune.domain.RunnerLiveness.Lease;
import dev.autotune.domain.RunnerLiveness.Process;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class RunnerLivenessTest {
    private static final Instant START = Instant.parse("2026-01-02T03:04:05Z");
    private static final Process LIVE = new Process(true, START);

    private static String gone(String runId, Long pid, String host, Lease lease, String thisHost, Process process) {
        return RunnerLiveness.gone(runId, pid, host, START.toString(), lease, thisHost, process);
    }

    @Test
    void aHeldLeaseIsAliveAndAFreeOneIsGoneWhateverThePid() {
        assertThat(gone("r", 42L, "other", Lease.HELD, "here", Process.ABSENT)).isNull();
        assertThat(gone("r", 42L, "here", Lease.FREE, "here", LIVE))
                .isEqualTo("runner process 42 on here is gone: nothing holds the run's lease any more (killed or crashed)");
        assertThat(gone("r", null, null, Lease.FREE, "here", LIVE)).startsWith("its runner is gone");
    }

    @Test
    void withoutALeaseThePidIsJudgedOnItsOwnHostOnly() {
        assertThat(gone("r", 42L, "other", Lease.UNKNOWN, "here", Process.ABSENT)).isNull();
        assertThat(gone(null, 42L, "here", Lease.UNKNOWN, "here", LIVE)).isNull();
        assertThat(gone(null, 42L, "here", Lease.UNKNOWN, "here", Process.ABSENT))
                .isEqualTo("runner process 42 on here is gone (killed or crashed)");
        assertThat(gone(null, null, "here", Lease.UNKNOWN, "here", Process.ABSENT)).isNull();
    }

    @Test
    void aRecycledPidStartedAtAnotherTimeIsNotTheRunner() {
        assertThat(RunnerLiveness.alive(new Process(true, START.plusMillis(1500)), START.toString())).isTrue();
        assertThat(RunnerLiveness.alive(new Process(true, START.plusSeconds(60)), START.toString())).isFalse();
        assertThat(RunnerLiveness.alive(new Process(true, null), START.toString())).isTrue();
        assertThat(RunnerLiveness.alive(LIVE, null)).isTrue();
        assertThat(RunnerLiveness.alive(Process.ABSENT, START.toString())).isFalse();
    }
}
