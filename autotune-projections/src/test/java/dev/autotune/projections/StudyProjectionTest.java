package dev.autotune.projections;

import dev.autotune.domain.Budget;
import dev.autotune.domain.search.Decision.StopReason;
import dev.autotune.domain.search.Expectation;
import dev.autotune.domain.search.Knob;
import dev.autotune.domain.search.Objective;
import dev.autotune.domain.search.SearchSpace;
import dev.autotune.domain.search.SoftSlo;
import dev.autotune.domain.study.StudyApi.FinishStudy;
import dev.autotune.domain.study.StudyApi.LinkTrial;
import dev.autotune.domain.study.StudyApi.ProposeTrial;
import dev.autotune.domain.study.StudyApi.StartStudy;
import dev.autotune.store.AxonStore;
import dev.autotune.store.Database;
import dev.autotune.store.testing.TestStores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Studies through the real SQLite store: what goes in as events comes back out of the read model unchanged. */
class StudyProjectionTest {
    static final Instant T = Instant.parse("2026-11-30T12:00:00Z");

    @TempDir
    Path dir;

    /** Every value type a space may hold, in the places Jackson would otherwise hand back as other types. */
    static SearchSpace space() {
        Map<String, Object> candidate = new LinkedHashMap<>();
        candidate.put("cmd_args.tp", 4L);
        candidate.put("cmd_args.gpu_memory_utilization", 0.9);
        candidate.put("cmd_args.kv_cache_dtype", "fp8");
        candidate.put("cmd_args.enforce_eager", false);
        return new SearchSpace("gptoss-h200",
                List.of(new Knob("cmd_args.tp", Knob.Kind.NUMBER, List.of(1L, 2L, 4L, 8L), false),
                        new Knob("cmd_args.gpu_memory_utilization", Knob.Kind.NUMBER, List.of(0.8, 0.9, 1.0), false),
                        new Knob("cmd_args.max_num_batched_tokens", Knob.Kind.NUMBER,
                                List.of(2048L, 4096L, 8_589_934_592L), true),
                        new Knob("cmd_args.kv_cache_dtype", Knob.Kind.CATEGORY, List.of("auto", "fp8"), false),
                        new Knob("cmd_args.enforce_eager", Knob.Kind.CATEGORY, List.of(true, false), false)),
                List.of("cmd_args.max_num_batched_tokens >= 2048"), "cmd_args.tp",
                new Objective("throughput_tokens_per_sec_per_gpu", true), List.of("latency_p95_ms<=200"),
                List.of(new SoftSlo("ttft_ms", Budget.Bound.AT_MOST, 50, 1.5)), new Objective("latency_p95_ms", false),
                List.of(candidate), "conf/tests/vllm.toml");
    }

    @Test
    void aStudyAndItsTrialsReadBackExactlyAsProposedAndRebuildReproducesTheTables() throws Exception {
        String id = UUID.randomUUID().toString();
        Map<String, Object> config = Map.of("cmd_args.tp", 4L, "cmd_args.gpu_memory_utilization", 1.0,
                "cmd_args.max_num_batched_tokens", 8_589_934_592L, "cmd_args.kv_cache_dtype", "fp8",
                "cmd_args.enforce_eager", true);
        try (Database db = TestStores.open(dir, "s.db")) {
            Projections views = Projections.of(db);
            try (AxonStore store = AxonStore.start(db, views.all(), Clock.fixed(T, ZoneOffset.UTC))) {
                var gw = store.commands();
                gw.sendAndWait(new StartStudy(id, "vllm-space", space(), "model", 42));
                Object trial = gw.sendAndWait(new ProposeTrial(id, config, "model", "expected 2,310 tok/s/GPU (±140)",
                        new Expectation(2310, 140, 0.83), false));
                assertThat(trial).isEqualTo(1);
                gw.sendAndWait(new ProposeTrial(id, Map.of("cmd_args.tp", 8L, "cmd_args.gpu_memory_utilization", 0.8,
                        "cmd_args.max_num_batched_tokens", 2048L, "cmd_args.kv_cache_dtype", "auto",
                        "cmd_args.enforce_eager", false), "model", "explore", null, false));
                gw.sendAndWait(new LinkTrial(id, 1, "experiment-1"));
                // the aggregate, loaded from stored events, still knows trial 2 waits for its config, whatever
                // number type the config arrives in
                assertThatThrownBy(() -> gw.sendAndWait(new ProposeTrial(id, Map.of("cmd_args.tp", 8,
                        "cmd_args.gpu_memory_utilization", 0.8, "cmd_args.max_num_batched_tokens", 2048,
                        "cmd_args.kv_cache_dtype", "auto", "cmd_args.enforce_eager", false), "model", "x", null, false)))
                        .hasMessageContaining("trial 2").hasMessageContaining("already waits");
                gw.sendAndWait(new FinishStudy(id, StopReason.TRIAL_BUDGET, "2 of 2 trials"));
                store.awaitProjections(Duration.ofSeconds(20));

                var row = views.studies().find("1").orElseThrow();
                assertThat(row.studyId()).isEqualTo(id);
                assertThat(row.space()).isEqualTo(space());
                assertThat(row.space().knobs().get(2).values().get(2)).isInstanceOf(Long.class);
                assertThat(row.space().knobs().get(1).values().get(2)).isInstanceOf(Double.class);
                assertThat(row.space().candidates().get(0)).isEqualTo(space().candidates().get(0));
                assertThat(row.trialCount()).isEqualTo(2);
                assertThat(row.finishReason()).isEqualTo(StopReason.TRIAL_BUDGET);
                assertThat(row.startedAt()).isEqualTo(T);
                var trials = views.studies().trials(id);
                assertThat(trials.get(0).config()).isEqualTo(config);
                assertThat(trials.get(0).config().get("cmd_args.gpu_memory_utilization")).isInstanceOf(Double.class);
                assertThat(trials.get(0).expectation()).isEqualTo(new Expectation(2310, 140, 0.83));
                assertThat(trials.get(0).experimentId()).isEqualTo("experiment-1");
                assertThat(trials.get(1).experimentId()).isNull();
                assertThat(views.studies().find(id)).contains(row);

                String before = dump(db);
                store.rebuild(Duration.ofSeconds(60), p -> {
                });
                assertThat(dump(db)).isEqualTo(before);
            }
        }
    }

    /** The two tables, row by row, every column as stored. */
    static String dump(Database db) {
        return db.read(c -> {
            StringBuilder out = new StringBuilder();
            for (String sql : List.of("SELECT * FROM studies ORDER BY number", "SELECT * FROM trials ORDER BY study_id, trial")) {
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                    ResultSetMetaData md = rs.getMetaData();
                    while (rs.next()) {
                        for (int i = 1; i <= md.getColumnCount(); i++) {
                            out.append(md.getColumnName(i)).append('=').append(rs.getString(i)).append('|');
                        }
                        out.append('\n');
                    }
                }
            }
            return out.toString();
        });
    }
}
