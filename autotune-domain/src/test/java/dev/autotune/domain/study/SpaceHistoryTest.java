package dev.autotune.domain.study;

import dev.autotune.domain.search.Knob;
import dev.autotune.domain.search.SearchSpace;
import dev.autotune.domain.search.Objective;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SpaceHistoryTest {
    private static final SearchSpace SPACE = new SearchSpace("gpt-oss", List.of(
            Knob.of("cmd_args.serve.tensor_parallel_size", List.of(4, 8), false),
            Knob.of("bench_cmd_args.max_concurrency", List.of(16, 32, 64), false)), List.of(), null,
            Objective.parse("maximize throughput_tokens_per_sec"), List.of(), List.of(), null, null, null);

    @Test
    void anExperimentFitsTheSpaceWhateverNamesRecordedItsKnobs() {
        // ingest: --set cmd_args.serve..., the report's load
        assertThat(SpaceHistory.fit(SPACE, Map.of("serve.tensor_parallel_size", 8, "concurrency", 32)).config())
                .isEqualTo(Map.of("cmd_args.serve.tensor_parallel_size", 8L, "bench_cmd_args.max_concurrency", 32L));
        // a file name's bare names
        assertThat(SpaceHistory.fit(SPACE, Map.of("tensor_parallel_size", 4, "max_concurrency", 16)).fits()).isTrue();
        // the paths as the space writes them
        assertThat(SpaceHistory.fit(SPACE, Map.of("cmd_args.serve.tensor_parallel_size", 4,
                "bench_cmd_args.max_concurrency", 64)).fits()).isTrue();
    }

    @Test
    void anExperimentLeftOutSaysWhy() {
        SpaceHistory.Fit missing = SpaceHistory.fit(SPACE, Map.of("serve.tensor_parallel_size", 8));
        assertThat(missing.leftOut()).isEqualTo("record no value for bench_cmd_args.max_concurrency");
        SpaceHistory.Fit outside = SpaceHistory.fit(SPACE, Map.of("serve.tensor_parallel_size", 2, "concurrency", 16));
        assertThat(outside.leftOut()).isEqualTo("have cmd_args.serve.tensor_parallel_size outside the space");
        assertThat(outside.detail()).isEqualTo("has 2, not one of [4, 8]");
    }

    @Test
    void theSummarySaysHowManyWereUsedAndWhyTheOthersWereLeftOut() {
        Map<String, Integer> leftOut = new LinkedHashMap<>();
        leftOut.put("record no value for bench_cmd_args.max_concurrency", 6);
        leftOut.put("have cmd_args.serve.tensor_parallel_size outside the space", 1);
        assertThat(SpaceHistory.summary("gpt-oss", 9, leftOut)).isEqualTo("used 9 of 16 experiments of scenario "
                + "gpt-oss; left out 7: 6 record no value for bench_cmd_args.max_concurrency, 1 has "
                + "cmd_args.serve.tensor_parallel_size outside the space");
        assertThat(SpaceHistory.summary("gpt-oss", 1, Map.of())).isEqualTo("used 1 of 1 experiment of scenario gpt-oss");
        assertThat(SpaceHistory.summary("gpt-oss", 0, Map.of())).isEqualTo("no experiments of scenario gpt-oss recorded yet");
    }

    @Test
    void aProposedValueCloudaiDidNotRunIsAnErrorOnTheTrial() {
        Map<String, Object> proposed = Map.of("bench_cmd_args.max_concurrency", 32L,
                "cmd_args.serve.tensor_parallel_size", 8L);
        // the resolved test-run.toml: CloudAI kept the base load
        assertThat(SpaceHistory.notTakenEffect(proposed, Map.of("concurrency", 16, "serve.tensor_parallel_size", 8)))
                .contains("error: did not take effect: bench_cmd_args.max_concurrency=32 (CloudAI ran 16)");
        assertThat(SpaceHistory.notTakenEffect(proposed, Map.of("serve.tensor_parallel_size", 8)).orElseThrow())
                .contains("bench_cmd_args.max_concurrency=32 (the run records no value for it)");
        assertThat(SpaceHistory.notTakenEffect(proposed, Map.of("concurrency", 32.0, "serve.tensor_parallel_size", 8)))
                .isEmpty();
    }
}
