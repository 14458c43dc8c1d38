package dev.autotune.api.app;

import dev.autotune.api.app.common.UserError;
import dev.autotune.api.app.common.NotFound;
import dev.autotune.api.app.common.Conflict;
import dev.autotune.api.app.common.StoreLocation;
import dev.autotune.api.app.studies.Studies;
import dev.autotune.api.app.recording.Recording;
import dev.autotune.store.testing.TestStores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/** The study use cases on a real SQLite file, with experiments recorded the way `ingest` and `run` record them. */
class StudiesTest {
    static final Path REPO = Path.of(System.getProperty("autotune.repo", "..")).toAbsolutePath().normalize();

    @TempDir
    Path dir;
    Path space;

    @BeforeEach
    void space() throws Exception {
        space = Files.writeString(dir.resolve("space.toml"), """
                scenario = "chat"
                objective = "maximize throughput_tokens_per_sec"
                budgets = ["latency_ms <= 200"]
                strategy = "grid"

                [knobs]
                "cmd_args.decode.tensor_parallel_size" = [1, 2]
                "cmd_args.decode.kv_cache_dtype" = ["auto", "fp8"]
                """);
    }

    /** An experiment as `run` records a test's cmd_args: without the cmd_args. prefix. */
    private int ingest(Autotune autotune, String scenario, Object tp, String kv, String report) {
        return autotune.recording().ingest(new Recording.IngestRequest(REPO.resolve("reports/examples").resolve(report), null,
                scenario, "vllm", Map.of("decode.tensor_parallel_size", tp, "decode.kv_cache_dtype", kv), null, null,
                null, Map.of(), true)).number();
    }

    @Test
    void tellingAnExperimentOfAnotherScenarioSaysHowToRecordItForTheStudy() {
        try (Autotune autotune = new Autotune(StoreLocation.of("db", TestStores.location(dir, "t.db")))) {
            Studies studies = autotune.studies();
            studies.create(space, null, null);
            // what `ingest --config OUT.toml` of the test TOML `ask --out-config` wrote gives: the test's name
            int wrong = ingest(autotune, "vllm", 1, "auto", "batch-1-vllm-bench.json");
            assertThatThrownBy(() -> studies.tell("1", Integer.toString(wrong))).isInstanceOf(UserError.class)
                    .hasMessage("experiment " + wrong + " is of scenario 'vllm', but study 1 searches scenario"
                            + " 'chat'; record the report with `autotune ingest REPORT --config TOML --scenario chat`"
                            + " and tell that experiment");
        }
    }

    @Test
    void experimentsOfTheScenarioWhoseConfigLiesInTheSpaceAreObservationsWhoeverRecordedThem() {
        try (Autotune autotune = new Autotune(StoreLocation.of("db", TestStores.location(dir, "a.db")))) {
            ingest(autotune, "chat", 1, "auto", "batch-1-vllm-bench.json");
            ingest(autotune, "chat", 4, "auto", "batch-4-aiperf.json");       // tensor_parallel_size 4: not in the space
            ingest(autotune, "other", 2, "fp8", "batch-4-aiperf.json");       // another scenario
            ingest(autotune, "chat", 2, "fp8", "batch-4-aiperf.json");
            Studies studies = autotune.studies();
            var created = studies.create(space, null, null);
            assertThat(created.created()).isTrue();
            assertThat(studies.create(space, null, null).created()).as("the same space finds its study").isFalse();
            assertThat(studies.create(space, "grid", 0L).created()).as("with the same options too").isFalse();

            var view = studies.show("1");
            assertThat(view.observations()).isEqualTo(2);
            assertThat(view.study().strategy()).isEqualTo("grid");
            assertThat(view.best().experiment()).isEqualTo(4);
            assertThat(view.best().config()).isEqualTo(Map.of("cmd_args.decode.tensor_parallel_size", 2L,
                    "cmd_args.decode.kv_cache_dtype", "fp8"));
            assertThat(view.next().config()).doesNotContainEntry("cmd_args.decode.kv_cache_dtype", null);
        }
    }

    @Test
    void anExcludedExperimentIsNoObservationOfTheSpaceUnlessAsked() {
        try (Autotune autotune = new Autotune(StoreLocation.of("db", TestStores.location(dir, "x.db")))) {
            ingest(autotune, "chat", 1, "auto", "batch-1-vllm-bench.json");
            int wrong = ingest(autotune, "chat", 1, "fp8", "batch-4-aiperf.json");
            autotune.corrections().exclude(Integer.toString(wrong), "wrong model loaded");
            Studies studies = autotune.studies();
            // the grid goes in the declared order: (1, auto), (1, fp8), (2, auto), (2, fp8)
            assertThat(studies.advise(space, null, null, false).next().config())
                    .as("the excluded run's config counts as untested, so the grid proposes it")
                    .isEqualTo(Map.of("cmd_args.decode.tensor_parallel_size", 1L, "cmd_args.decode.kv_cache_dtype", "fp8"));
            assertThat(studies.advise(space, null, null, true).next().config())
                    .as("with the excluded run counted, its config is measured and the grid moves on")
                    .isEqualTo(Map.of("cmd_args.decode.tensor_parallel_size", 2L, "cmd_args.decode.kv_cache_dtype", "auto"));
        }
    }

    @Test
    void asksBeforeTellsNeverProposeAWaitingConfigTwiceAndTellLinksTheWaitingTrial() {
        try (Autotune autotune = new Autotune(StoreLocation.of("db", TestStores.location(dir, "b.db")))) {
            Studies studies = autotune.studies();
            studies.create(space, null, null);
            var asked = studies.ask("1", 3, null, null);
            assertThat(asked.proposals()).extracting(Studies.Proposal::trial).containsExactly(1, 2, 3);
            Set<Map<String, Object>> configs = new HashSet<>();
            asked.proposals().forEach(p -> configs.add(p.config()));
            assertThat(configs).hasSize(3);
            var last = studies.ask("1", 2, null, null);
            assertThat(last.proposals()).hasSize(1);
            assertThat(last.stopped()).as("every config is waiting or measured").isNotNull();
            assertThat(configs.add(last.proposals().get(0).config())).isTrue();

            // measure trial 2's config by hand
            Map<String, Object> second = asked.proposals().get(1).config();
            int experiment = ingest(autotune, "chat", second.get("cmd_args.decode.tensor_parallel_size"),
                    (String) second.get("cmd_args.decode.kv_cache_dtype"), "batch-4-aiperf.json");
            var told = studies.tell("1", Integer.toString(experiment));
            assertThat(told.trial()).isEqualTo(2);
            assertThat(told.proposedNow()).isFalse();
            List<Studies.TrialView> trials = studies.show("1").trials();
            assertThat(trials).extracting(Studies.TrialView::status)
                    .containsExactly("proposed", "completed", "proposed", "proposed");

            // measured again by hand: a new trial, marked as a repeat of a config measured before
            int again = ingest(autotune, "chat", second.get("cmd_args.decode.tensor_parallel_size"),
                    (String) second.get("cmd_args.decode.kv_cache_dtype"), "batch-1-vllm-bench.json");
            var byHand = studies.tell("1", Integer.toString(again));
            assertThat(byHand.trial()).isEqualTo(5);
            assertThat(byHand.proposedNow()).isTrue();
            var fifth = studies.show("1").trials().get(4);
            assertThat(fifth.repeat()).isTrue();
            assertThat(fifth.reason()).isEqualTo("measured by hand: experiment " + again);

            int outside = ingest(autotune, "chat", 8, "auto", "batch-1-vllm-bench.json");
            assertThatThrownBy(() -> studies.tell("1", Integer.toString(outside)))
                    .isInstanceOf(UserError.class)
                    .hasMessage("knobs.\"cmd_args.decode.tensor_parallel_size\": experiment " + outside
                            + " has 8, not one of [1, 2]");
            assertThat(((UserError) catchThrowable(() -> studies.tell("1", Integer.toString(outside)))).field())
                    .isEqualTo("experiment");
            assertThatThrownBy(() -> studies.tell("1", "999")).isInstanceOf(NotFound.class);
            assertThatThrownBy(() -> studies.show("7")).isInstanceOf(NotFound.class);

            var stopped = studies.stop("1", "enough for today");
            assertThat(stopped.finishReason()).isEqualTo("stopped_by_user");
            assertThat(stopped.finishMessage()).isEqualTo("enough for today");
            assertThatThrownBy(() -> studies.ask("1", 1, null, null)).isInstanceOf(UserError.class)
                    .hasMessage("study 1 has finished (stopped_by_user: enough for today)");
        }
    }

    @Test
    void aCrashToldByHandIsAFailedTrialTheFailureModelLearnsFrom() {
        try (Autotune autotune = new Autotune(StoreLocation.of("db", TestStores.location(dir, "f.db")))) {
            Studies studies = autotune.studies();
            studies.create(space, null, null);
            var asked = studies.ask("1", 2, null, null);
            var told = studies.tellFailed("1", 1, "CUDA out of memory", null);
            assertThat(told.trial()).isEqualTo(1);

            var view = studies.show("1");
            Studies.TrialView first = view.trials().get(0);
            assertThat(first.status()).isEqualTo("failed");
            assertThat(first.experiment()).isEqualTo(told.experiment());
            assertThat(first.verdict()).contains("job_failed");
            assertThat(view.observations()).as("the failed run is an observation of the space").isEqualTo(1);
            assertThat(autotune.history().experiment(Integer.toString(told.experiment())).failureCategory())
                    .isEqualTo("job_failed");
            // the grid goes on with the configs not tried: the failed one no longer waits, and is not proposed again
            var next = studies.ask("1", 1, null, null).proposals().get(0);
            assertThat(next.config()).isNotEqualTo(asked.proposals().get(0).config())
                    .isNotEqualTo(asked.proposals().get(1).config());

            assertThat(catchThrowable(() -> studies.tellFailed("1", 1, null, null))).isInstanceOf(Conflict.class)
                    .hasMessage("trial 1 of study 1 is already measured by experiment " + told.experiment()
                            + " (failed)");
            UserError noTrial = (UserError) catchThrowable(() -> studies.tellFailed("1", 9, null, null));
            assertThat(noTrial.field()).isEqualTo("trial");
            assertThat(noTrial).hasMessage("study 1 has no trial 9 (it has 3)");
            UserError category = (UserError) catchThrowable(() -> studies.tellFailed("1", 2, null, "oom"));
            assertThat(category.field()).isEqualTo("category");
            assertThat(studies.tellFailed("1", 2, "hung", "timeout").trial()).isEqualTo(2);
            assertThat(studies.show("1").trials().get(1).verdict()).contains("timeout");
        }
    }

    @Test
    void aStudyFoundAgainWithOtherOptionsRefusesNamingTheOptionAndANameStartsAnother() {
        try (Autotune autotune = new Autotune(StoreLocation.of("db", TestStores.location(dir, "o.db")))) {
            Studies studies = autotune.studies();
            studies.create(space, "random", 7L);
            UserError strategy = (UserError) catchThrowable(() -> studies.create(space, "model", 7L));
            assertThat(strategy).isInstanceOf(Conflict.class).hasMessage("study 1 of this space uses strategy "
                    + "'random', not 'model'; give the new study a name of its own to start another one");
            assertThat(strategy.field()).isEqualTo("strategy");
            UserError seed = (UserError) catchThrowable(() -> studies.create(space, null, 8L));
            assertThat(seed).hasMessage("study 1 of this space uses seed 7, not 8; give the new study a name of its "
                    + "own to start another one");
            assertThat(seed.field()).isEqualTo("seed");
            assertThat(studies.create(space, "random", null).created()).as("an option left out takes the study's")
                    .isFalse();

            var named = studies.create(space, "model", 8L, "second try");
            assertThat(named.created()).isTrue();
            assertThat(named.study().number()).isEqualTo(2);
            assertThat(named.study().name()).isEqualTo("second try");
            assertThat(named.study().strategy()).isEqualTo("model");
            assertThat(studies.create(space, null, null, "second try").study().number()).isEqualTo(2);
        }
    }
}
