package dev.autotune.runner.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;

import static dev.autotune.runner.report.ReportTesting.failure;
import static dev.autotune.runner.report.ReportTesting.parse;
import static dev.autotune.runner.report.ReportTesting.read;
import static dev.autotune.runner.report.ReportTesting.sample;
import static dev.autotune.runner.report.ReportTesting.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The format comes from the content; --format forces one and fails clearly when the content disagrees. */
class DetectionTest {
    @TempDir
    Path dir;

    /** Copies a sample under a misleading name: detection must not care. */
    @ParameterizedTest(name = "{0} named {1} → {2}")
    @CsvSource({
            "aiperf/run1-2025-10-03/profile_export_aiperf.csv, results.json, AIPERF_CSV",
            "aiperf/run1-2025-10-03/profile_export_aiperf.json, profile_export_aiperf.csv, AIPERF_JSON",
            "aiperf/v0.8.0-smoke-100k-conc/profile_export_aiperf.json, genai_perf.json, AIPERF_JSON",
            "aiperf/run1-2025-10-03/profile_export.jsonl, profile_export_aiperf.json, AIPERF_JSONL",
            "genai-perf/cloudai-userguide-excerpt/profile_genai_perf.csv, aiperf_report.csv, GENAI_PERF_CSV",
            "cloudai/extracted_from_tests/ai_dynamo/aiperf_report.csv, genai_perf_report.csv, AIPERF_CSV",
            "guidellm/pre-v0.4-stripped-fixture/benchmarks_stripped.json, benchmarks.yaml, GUIDELLM_JSON",
            "guidellm/pre-v0.4-stripped-fixture/benchmarks_stripped.yaml, benchmarks.json, GUIDELLM_YAML",
            "cloudai/extracted_from_tests/vllm/vllm-bench.json, report.csv, VLLM_JSON",
            "cloudai/extracted_from_tests/vllm/vllm-gsm8k.json, accuracy_results.csv, ACCURACY_JSON",
            "cloudai/extracted_from_tests/ai_dynamo/accuracy_results.csv, vllm-gsm8k.json, CLOUDAI_ACCURACY_CSV",
            "cloudai/extracted_from_tests/vllm/vllm-semantic-eval.log, vllm-bench.json, TEXT_LOG",
    })
    void detectsFromContentNotName(String sample, String misleadingName, ReportFormat expected) {
        Path original = sample(sample);
        Path renamed = write(dir, misleadingName, read(original));

        ParsedReport r = parse(renamed);

        assertThat(r.format()).isEqualTo(expected);
        assertThat(r.metrics()).isEqualTo(parse(original).metrics());
        assertThat(r.sha256()).isEqualTo(parse(original).sha256());
    }

    @Test
    void vllmVersusSglangByTheirOwnKeysWhateverTheName() {
        Path sglangKeysInJson = write(dir, "vllm-bench.json",
                "{\"completed\": 3, \"mean_e2e_latency_ms\": 5.0, \"output_throughput\": 1.0}");
        Path vllmKeysInJsonl = write(dir, "sglang-bench.jsonl",
                "{\"completed\": 3, \"failed\": 0, \"mean_e2el_ms\": 5.0, \"output_throughput\": 1.0}\n");

        assertThat(parse(sglangKeysInJson).format()).isEqualTo(ReportFormat.SGLANG_JSONL);
        assertThat(parse(vllmKeysInJsonl).format()).isEqualTo(ReportFormat.VLLM_JSON);
    }

    @Test
    void resultWithoutEitherToolsKeysFallsBackToTheFileShapeThenName() {
        String common = "{\"num_prompts\": 4, \"completed\": 4, \"mean_ttft_ms\": 10.0}";

        assertThat(parse(write(dir, "a.json", common)).format()).isEqualTo(ReportFormat.VLLM_JSON);
        assertThat(parse(write(dir, "a.jsonl", common + "\n")).format()).isEqualTo(ReportFormat.SGLANG_JSONL);
        assertThat(parse(write(dir, "b.json", common + "\n" + common + "\n")).format())
                .isEqualTo(ReportFormat.SGLANG_JSONL);
    }

    @Test
    void forcingACompatibleFormat() {
        ParsedReport asGenai = parse(sample("aiperf/run1-2025-10-03/profile_export_aiperf.csv"),
                ReportFormat.GENAI_PERF_CSV);
        ParsedReport asVllm = parse(sample("cloudai/extracted_from_tests/sglang/sglang-bench.jsonl"),
                ReportFormat.VLLM_JSON);
        ParsedReport asGeneric = parse(sample("cloudai/extracted_from_tests/vllm/vllm-bench.json"),
                ReportFormat.GENERIC_JSON);

        assertThat(asGenai.format()).isEqualTo(ReportFormat.GENAI_PERF_CSV);
        // GenAI-Perf has no error count or duration row, and no inter-chunk latency
        assertThat(asGenai.metrics()).doesNotContainKeys(dev.autotune.domain.Metric.FAILURE_RATE,
                dev.autotune.domain.Metric.ITL_MS);
        assertThat(asGenai.get(dev.autotune.domain.Metric.TTFT_MS)).isEqualTo(2343.22);
        assertThat(asVllm.format()).isEqualTo(ReportFormat.VLLM_JSON);
        assertThat(asVllm.get(dev.autotune.domain.Metric.REQUEST_THROUGHPUT)).isEqualTo(2400.0);
        assertThat(asGeneric.format()).isEqualTo(ReportFormat.GENERIC_JSON);
        assertThat(asGeneric.get(dev.autotune.domain.Metric.THROUGHPUT_TOKENS_PER_SEC)).isEqualTo(2400.0);
    }

    @Test
    void forcingAMismatchedFormatSaysWhatWasExpected() {
        failure(sample("aiperf/run1-2025-10-03/profile_export_aiperf.csv"), ReportFormat.AIPERF_JSON,
                "is not an AIPerf JSON report: expected a JSON object with AIPerf metric tags");
        failure(sample("guidellm/pre-v0.4-stripped-fixture/benchmarks_stripped.yaml"), ReportFormat.GUIDELLM_JSON,
                "is not a GuideLLM JSON report: expected a JSON document with a 'benchmarks' list");
        failure(sample("guidellm/pre-v0.4-stripped-fixture/benchmarks_stripped.json"), ReportFormat.GUIDELLM_YAML,
                "is not a GuideLLM YAML report");
        failure(sample("cloudai/extracted_from_tests/ai_dynamo/accuracy_results.csv"), ReportFormat.AIPERF_CSV,
                "is not an AIPerf CSV report: expected AIPerf/GenAI-Perf metric rows");
        failure(sample("aiperf/run1-2025-10-03/profile_export_aiperf.json"), ReportFormat.AIPERF_JSONL,
                "is not an AIPerf per-request JSONL report");
        failure(sample("cloudai/extracted_from_tests/vllm/vllm-gsm8k.json"), ReportFormat.VLLM_JSON,
                "is not a vLLM bench serve JSON report");
        failure(sample("aiperf/run1-2025-10-03/profile_export_aiperf.json"), ReportFormat.TEXT_LOG,
                "is not a text log report");
    }

    @Test
    void forcingOntoBrokenJsonReportsTheBreakage() {
        Path cut = write(dir, "vllm-bench.json", "{\"completed\": 3, \"mean_ttft_ms\": 1");
        failure(cut, ReportFormat.VLLM_JSON, "truncated JSON at line 1");
    }

    @ParameterizedTest
    @EnumSource(ReportFormat.class)
    void everyFormatHasAReaderAndACliCode(ReportFormat format) {
        assertThat(ReportFormat.parse(format.code())).isEqualTo(format);
        assertThat(ReportFormat.parse(" " + format.code().toUpperCase() + " ")).isEqualTo(format);
        assertThat(FormatDetector.reader(format).format()).isEqualTo(format);
    }

    @Test
    void unknownFormatCodeListsTheKnownOnes() {
        assertThatThrownBy(() -> ReportFormat.parse("csv"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown report format 'csv'").hasMessageContaining("aiperf-json");
    }
}
