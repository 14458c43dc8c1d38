package dev.autotune.runner.report;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Every report format autotune reads. The code is what users pass to {@code --format}. */
public enum ReportFormat {
    AIPERF_JSON("aiperf-json"),
    AIPERF_CSV("aiperf-csv"),
    AIPERF_JSONL("aiperf-jsonl"),
    GENAI_PERF_CSV("genai-perf-csv"),
    GENAI_PERF_JSON("genai-perf-json"),
    GUIDELLM_JSON("guidellm-json"),
    GUIDELLM_YAML("guidellm-yaml"),
    GUIDELLM_CONSOLE("guidellm-console"),
    VLLM_JSON("vllm-json"),
    SGLANG_JSONL("sglang-jsonl"),
    CLOUDAI_ACCURACY_CSV("cloudai-accuracy-csv"),
    ACCURACY_JSON("accuracy-json"),
    GENERIC_JSON("generic-json"),
    GENERIC_JSONL("generic-jsonl"),
    TEXT_LOG("text-log");

    private final String code;

    ReportFormat(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static ReportFormat parse(String code) {
        String c = code.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(f -> f.code.equals(c)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown report format '" + code + "' (known: "
                        + Arrays.stream(values()).map(ReportFormat::code).collect(Collectors.joining(", ")) + ")"));
    }
}
