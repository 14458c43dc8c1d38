package dev.autotune.api.bench;

import dev.autotune.domain.search.Strategies;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SearchBenchmarkTest {
    /**
     * A hand-made table in the layout of Argonne LLM-Inference-Bench's Plots/All_results.csv (columns as in
     * argonne-lcf/LLM-Inference-Bench@4211f5d); the values are invented for the test, not copied.
     */
    static final List<String> ARGONNE = List.of(
            "Hardware,Num of Hardware,Framework,Model,Input Output Length,Batch Size,Latency,Throughput",
            "H100,1,vLLM,m,128,1,1.0,100",
            "H100,1,vLLM,m,128,16,2.0,1000",
            "H100,1,vLLM,m,128,16,2.2,1100",   // a repeat of the row above: averaged to 2.1 s, 1,050 tok/s
            "H100,2,vLLM,m,128,1,0.8,150",
            "H100,2,vLLM,m,128,16,1.5,1600",
            "H100,2,vLLM,m,128,64,4.0,5000",
            "H100,1,vLLM,m,256,1,1.0,90");    // another scenario (length 256) with one config

    @Test
    void argonneRowsBecomeScenariosWithRepeatsAveragedAndConstantColumnsDropped() {
        List<OracleScenario> all = SweepTables.argonne(ARGONNE);
        assertThat(all).extracting(OracleScenario::name).containsExactly("m 128");
        OracleScenario s = all.get(0);
        assertThat(s.knobs()).containsExactly("num_of_hardware", "batch_size");
        assertThat(s.gpus()).isEqualTo("num_of_hardware");
        assertThat(s.latencyMetric()).isEqualTo("latency_ms");
        assertThat(s.size()).isEqualTo(5);
        OracleScenario.Config repeated = s.configs().get(1);
        assertThat(repeated.knobs()).isEqualTo(Map.of("num_of_hardware", 1L, "batch_size", 16L));
        assertThat(repeated.rows()).isEqualTo(2);
        assertThat(repeated.throughput()).isCloseTo(1050, within(1e-9));
        assertThat(repeated.latency()).isCloseTo(2100, within(1e-9));
    }

    @Test
    void sloIsTheMedianLatencyAndTheTargetTheBestPerGpuWithinIt() {
        OracleScenario s = SweepTables.argonne(ARGONNE).get(0);
        // latencies 1000, 2100, 800, 1500, 4000 ms: median 1500
        assertThat(s.slo()).isEqualTo(1500);
        SearchBenchmark.Oracle oracle = new SearchBenchmark.Oracle(s);
        // within 1500 ms: 100/1, 150/2 = 75, 1600/2 = 800 per GPU -> the 2-GPU batch-16 config (index 3)
        assertThat(oracle.target).isEqualTo(3);
        assertThat(oracle.near).containsExactly(false, false, false, true, false);
        // grid order is declared order: (1,1), (1,16), (2,1), (2,16): the target is the 4th proposal; the grid
        // then runs (2,64) and stops with the space exhausted: one run after the best
        SearchBenchmark.Run run = oracle.run(Strategies.byName("grid"), 1);
        assertThat(run).isEqualTo(new SearchBenchmark.Run(4, 4, false, 1));
    }

    @Test
    void theSloOfAnEvenCountIsTheUpperMedianAsTheDocsSay() {
        // the first four configs of the table: latencies 1000, 2100, 800, 1500 ms -> upper median 1500, so half pass
        List<String> four = ARGONNE.subList(0, 6);
        OracleScenario s = SweepTables.argonne(four).get(0);
        assertThat(s.size()).isEqualTo(4);
        assertThat(s.slo()).isEqualTo(1500);
    }

    @Test
    void mediansAndP90sAreOneQuantileTheInvertedEmpiricalCdf() {
        // an even count: the lower middle value, as the nearest rank at 0.5 gives; never an average of two values
        assertThat(SearchBenchmark.median(new double[]{4, 1, 3, 2})).isEqualTo(2);
        assertThat(SearchBenchmark.median(new double[]{3, 1, 2})).isEqualTo(2);
        assertThat(SearchBenchmark.percentile(new double[]{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 0.9)).isEqualTo(9);
        assertThat(SearchBenchmark.TARGETS.toString()).isEqualTo("exact median <= 0.12, within 2% median <= 0.08, "
                + "p90 <= 0.30 for both, no misses; runs after the best median <= 0.05");
    }

    @Test
    void aiconfiguratorThroughputIsDerivedFromTtftAndTpot() {
        // hand-made rows in the silicon_sample.csv layout (ai-dynamo/aiconfigurator@0b077da), reduced to the
        // columns the reader uses; concurrency 8 and 16, OSL 101
        String header = "id,silicon_data_source,backend,backend_version,model_path,system,precision,mode,isl,osl,"
                + "gemm_quant_mode,moe_quant_mode,batch_size,tp_size,pp_size,attention_dp_size,moe_tp_size,moe_ep_size,"
                + "silicon_ttft_ms,silicon_tpot_ms";
        List<String> lines = List.of(header,
                "a,\"x; silicon_concurrency=8; y=1\",trtllm,1,M,h100_sxm,fp8,agg,1000,101,fp8,,8,2,1,1,,,100,10",
                "b,x; silicon_concurrency=16,trtllm,1,M,h100_sxm,fp8,agg,1000,101,fp8,,16,2,1,1,,,200,20",
                "c,x; silicon_concurrency=16,trtllm,1,M,h100_sxm,fp8,disagg,1000,101,fp8,,16,2,1,1,,,200,20",
                "d,no concurrency,trtllm,1,M,h100_sxm,fp8,agg,1000,101,fp8,,32,2,1,1,,,200,20");
        List<OracleScenario> all = SweepTables.aiconfigurator(lines);
        assertThat(all).hasSize(1);
        OracleScenario s = all.get(0);
        assertThat(s.name()).isEqualTo("M h100_sxm 1000/101");
        assertThat(s.knobs()).containsExactly("batch_size", "concurrency");
        assertThat(s.gpus()).isEqualTo("2 * 1 * 1");
        assertThat(s.latencyMetric()).isEqualTo("tpot_ms");
        // 8 * 101 tokens over (100 + 100 * 10) ms = 808 / 1.1 s = 734.5 tok/s
        assertThat(s.configs().get(0).throughput()).isCloseTo(808 / 1.1, within(1e-9));
        assertThat(s.configs().get(0).latency()).isEqualTo(10);
        assertThat(s.perGpu(s.space())[0]).isCloseTo(808 / 1.1 / 2, within(1e-9));
    }

    @Test
    void medianAndNearestRankPercentile() {
        assertThat(SearchBenchmark.median(new double[]{3, 1, 2, 10})).isEqualTo(2);
        assertThat(SearchBenchmark.percentile(new double[]{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 0.9)).isEqualTo(9);
        assertThat(SearchBenchmark.percentile(new double[]{5}, 0.9)).isEqualTo(5);
    }

    @Test
    void aTeamsOwnSweepInTheGenericFormatIsBenchmarkedLikeTheSources() throws Exception {
        List<String> lines = List.of(
                "scenario,tp,max_num_seqs,gpus,throughput_tokens_per_sec,latency_p95_ms",
                "llama-8b chat,1,16,1,1000,80",
                "llama-8b chat,1,64,1,2600,190",
                "llama-8b chat,2,16,2,1500,60",
                "llama-8b chat,2,64,2,4200,150",
                "llama-8b chat,2,64,2,4000,170",   // a repeat: averaged to 4,100 tok/s, 160 ms
                "llama-8b chat,4,64,4,6000,120",
                "llama-8b code,1,16,1,900,70");    // another scenario with one config: nothing to search, left out
        List<OracleScenario> all = SweepTables.generic("team", lines);
        assertThat(all).extracting(OracleScenario::name).containsExactly("llama-8b chat");
        OracleScenario s = all.get(0);
        assertThat(s.source()).isEqualTo("team");
        assertThat(s.knobs()).containsExactly("tp", "max_num_seqs", "gpus");
        assertThat(s.latencyMetric()).isEqualTo("latency_p95_ms");
        assertThat(s.gpus()).isEqualTo("gpus");
        assertThat(s.size()).isEqualTo(5);
        // latencies 80, 190, 60, 160, 120: the SLO is the median, 120 ms
        assertThat(s.slo()).isEqualTo(120);
        SearchBenchmark.Oracle oracle = new SearchBenchmark.Oracle(s);
        // within 120 ms: 1000/1, 1500/2 = 750, 6000/4 = 1500 per GPU -> the tp=4 config (index 4)
        assertThat(oracle.target).isEqualTo(4);
        assertThat(SweepTables.generic("team", List.of("scenario,batch,throughput_tokens_per_sec,latency_ms",
                "x,1,100,10", "x,2,180,20")).get(0).gpus()).as("no gpus column: per GPU is per system").isEqualTo("1");

        Path file = java.nio.file.Files.createTempFile("sweep", ".csv");
        java.nio.file.Files.write(file, List.of("scenario,batch,throughput_tokens_per_sec,latency_ms", "x,1,100,10",
                "x,2,fast,20"));
        assertThatThrownBy(() -> SweepTables.load(file, 1)).isInstanceOf(java.io.IOException.class)
                .hasMessage(file + ": line 3, column 'throughput_tokens_per_sec': 'fast' is not a measured value (a "
                        + "number, 0 or more)");
        java.nio.file.Files.write(file, List.of("scenario,batch,throughput_tokens_per_sec", "x,1,100"));
        assertThatThrownBy(() -> SweepTables.load(file, 1)).hasMessageContaining("exactly one latency column");
        java.nio.file.Files.delete(file);
    }
}
