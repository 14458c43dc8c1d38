package dev.autotune.runner.cloudai;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.autotune.domain.Metric;
import dev.autotune.runner.config.Hashing;
import dev.autotune.runner.report.ParsedReport;
import dev.autotune.runner.report.ReportFormat;
import org.tomlj.TomlTable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Per-workload knowledge: which report files a run dir may hold, and whether the run succeeded judged from its files,
 * mirroring each CloudAI workload's {@code was_run_successful} (CONTRACT.md §3), because cloudai exits 0 when jobs
 * fail.
 */
final class Workloads {
    static final String VLLM_BANNER = "============ Serving Benchmark Result ============";
    private static final Pattern SUCCESSFUL = Pattern.compile("Successful requests:\\s*(\\S+)");
    private static final Pattern VLLM_ACCURACY = Pattern.compile("\\bAccuracy:\\s*([0-9.]+)");
    private static final Pattern SGLANG_ACCURACY = Pattern.compile("\\b(?:Score|Accuracy):\\s*([0-9.]+)");
    // the files are written by Python's json module, which writes Infinity for SGLang's default request_rate and
    // NaN for undefined statistics; CloudAI's own check (json.loads) accepts them, so this must too
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    /** What a run dir of a workload autotune does not know may hold, in this order. */
    static final List<String> GENERIC_FILES = List.of(
            "vllm-bench.json", "sglang-bench.jsonl", "aiperf_report.csv", "genai_perf_report.csv",
            "accuracy_results.csv", "vllm-gsm8k.json",
            "report.json", "report.jsonl", "cloudai-summary.json", "cloudai-summary.jsonl",
            "summary.json", "summary.jsonl", "results.json", "results.jsonl", "metrics.json", "metrics.jsonl");

    /** Where AIDynamo's accuracy CSV may also be (CloudAI searches these after the run dir). */
    private static final List<String> ACCURACY_SUBDIRS = List.of("aiperf_accuracy_artifacts", "aiperf_artifacts");

    /**
     * A file to read as a report.
     *
     * @param path     the file
     * @param format   the format to read it as; null to detect it from the content
     * @param accuracy for a semantic-eval log: CloudAI's regex for its accuracy, the only thing read from it (the
     *                 log's other lines are the eval's, not the benchmark's); null otherwise
     */
    record ReportFile(Path path, ReportFormat format, Pattern accuracy) {
        ReportFile(Path path, ReportFormat format) {
            this(path, format, null);
        }

        /** The accuracy of a semantic-eval log as a report; null when the log has no accuracy line. */
        ParsedReport accuracyReport() throws IOException {
            Double v = regexIn(path, accuracy);
            if (v == null) {
                return null;
            }
            // autotune's accuracy is 0..1 everywhere; an eval that prints a percentage is scaled like CloudAI's CSV rule
            double fraction = v > 1 ? v / 100 : v;
            return new ParsedReport(path, Hashing.sha256(path), ReportFormat.TEXT_LOG, Map.of(Metric.ACCURACY, fraction),
                    List.of());
        }
    }

    private Workloads() {
    }

    /**
     * The report files of a run dir, read per workload the way CloudAI reads them and only from that workload's own
     * files (a stray {@code vllm-gsm8k.json} in an SGLang run dir is not its accuracy):
     * <ul>
     *   <li>vllm: {@code vllm-bench.json}; accuracy from {@code vllm-gsm8k.json}, else {@code vllm-semantic-eval.log}
     *       ({@code Accuracy: x});</li>
     *   <li>sglang: {@code sglang-bench.jsonl}; accuracy from {@code sglang-semantic-eval.log} ({@code Score: x} or
     *       {@code Accuracy: x});</li>
     *   <li>AIDynamo: {@code <workload>_report.csv} for each of {@code cmd_args.workloads} (default aiperf.sh), and
     *       {@code accuracy_results.csv} in the run dir, else {@code aiperf_accuracy_artifacts/}, else
     *       {@code aiperf_artifacts/};</li>
     *   <li>anything else: whichever of {@link #GENERIC_FILES} are there.</li>
     * </ul>
     */
    static List<ReportFile> reportFiles(String template, TomlTable testDefinition, Path runDir,
                                        ReadBoundary boundary) {
        List<ReportFile> out = new ArrayList<>();
        RunFiles files = new RunFiles(runDir, boundary);
        switch (kind(template, runDir)) {
            case "vllm" -> {
                files.add(out, "vllm-bench.json", null, null);
                if (!files.add(out, "vllm-gsm8k.json", ReportFormat.ACCURACY_JSON, null)) {
                    files.addLog(out, "vllm-semantic-eval.log", VLLM_ACCURACY);
                }
            }
            case "sglang" -> {
                files.add(out, "sglang-bench.jsonl", null, null);
                files.addLog(out, "sglang-semantic-eval.log", SGLANG_ACCURACY);
            }
            case "aidynamo" -> {
                for (String report : dynamoReports(testDefinition)) {
                    files.add(out, report, null, WORKLOADS_KEY);
                }
                files.addAccuracyCsv(out);
            }
            default -> {
                for (String name : GENERIC_FILES) {
                    if (name.equals("accuracy_results.csv")) {
                        files.addAccuracyCsv(out);
                    } else {
                        files.add(out, name, null, null);
                    }
                }
            }
        }
        return out;
    }

    /** The TOML key naming AI Dynamo's workload reports. */
    static final String WORKLOADS_KEY = "cmd_args.workloads";

    /** The file names {@link #reportFiles} looks for, for a message that says where autotune looked. */
    static List<String> reportNames(String template, TomlTable testDefinition, Path runDir) {
        return switch (kind(template, runDir)) {
            case "vllm" -> List.of("vllm-bench.json", "vllm-gsm8k.json", "vllm-semantic-eval.log");
            case "sglang" -> List.of("sglang-bench.jsonl", "sglang-semantic-eval.log");
            case "aidynamo" -> {
                List<String> names = new ArrayList<>(dynamoReports(testDefinition));
                names.add("accuracy_results.csv");
                yield names;
            }
            default -> GENERIC_FILES;
        };
    }

    /**
     * The files of one run dir, each admitted by the boundary before anything (even whether it exists) is looked at:
     * a name from test-run.toml may point anywhere.
     */
    private record RunFiles(Path runDir, ReadBoundary boundary) {
        boolean admitted(Path file, String key) {
            return boundary.admit(file, key == null ? runDir : runDir.resolve("test-run.toml"), key);
        }

        boolean add(List<ReportFile> out, String name, ReportFormat format, String key) {
            Path file;
            try {
                file = runDir.resolve(name);
            } catch (java.nio.file.InvalidPathException e) {
                return false; // a name no file can have (a NUL in cmd_args.workloads)
            }
            if (admitted(file, key) && Files.isRegularFile(file)) {
                out.add(new ReportFile(file, format));
                return true;
            }
            return false;
        }

        void addLog(List<ReportFile> out, String name, Pattern accuracy) {
            Path log = runDir.resolve(name);
            if (admitted(log, null) && Files.isRegularFile(log)) {
                out.add(new ReportFile(log, ReportFormat.TEXT_LOG, accuracy));
            }
        }

        void addAccuracyCsv(List<ReportFile> out) {
            if (add(out, "accuracy_results.csv", null, null)) {
                return;
            }
            for (String sub : ACCURACY_SUBDIRS) {
                if (add(out, sub + "/accuracy_results.csv", null, null)) {
                    return;
                }
            }
        }
    }

    /** AI Dynamo's benchmarks, each with a {@code cmd_args.<name>} table of its own (CONTRACT.md §3). */
    private static final List<String> DYNAMO_BENCHMARKS = List.of("aiperf", "genai_perf");

    /**
     * Whether a knob (named as in {@link dev.autotune.runner.config.Knobs}) configured something that ran. AI Dynamo's
     * test definition carries the args of every benchmark ({@code genai_perf.args.concurrency}) whether or not
     * {@code cmd_args.workloads} ran it; the args of one that did not run are not a knob of the run.
     */
    static boolean knobRan(String template, TomlTable testDefinition, Path runDir, String knob) {
        if (!kind(template, runDir).equals("aidynamo")) {
            return true;
        }
        for (String benchmark : DYNAMO_BENCHMARKS) {
            if (knob.startsWith(benchmark + ".")) {
                return dynamoReports(testDefinition).contains(benchmark + "_report.csv");
            }
        }
        return true;
    }

    /** {@code <stem>_report.csv} for every entry of {@code cmd_args.workloads} (CloudAI's default: aiperf.sh). */
    private static List<String> dynamoReports(TomlTable td) {
        String workloads = "aiperf.sh";
        if (td != null && td.get(List.of("cmd_args", "workloads")) instanceof String w && !w.isBlank()) {
            workloads = w;
        }
        List<String> reports = new ArrayList<>();
        for (String w : workloads.split(",")) {
            String stem = w.strip();
            if (stem.isEmpty()) {
                continue;
            }
            int dot = stem.lastIndexOf('.');
            if (dot > 0) {
                stem = stem.substring(0, dot);
            }
            reports.add(stem + "_report.csv");
        }
        return reports;
    }

    /** The workload kind from {@code test_template_name}, else guessed from the files present. */
    static String kind(String template, Path runDir) {
        if (template != null) {
            return template.toLowerCase(Locale.ROOT);
        }
        if (Files.exists(runDir.resolve("vllm-bench.log")) || Files.exists(runDir.resolve("vllm-bench.json"))) {
            return "vllm";
        }
        if (Files.exists(runDir.resolve("sglang-bench.jsonl")) || Files.exists(runDir.resolve("sglang-bench.log"))) {
            return "sglang";
        }
        if (Files.exists(runDir.resolve("success-marker.txt")) || Files.exists(runDir.resolve("failure-marker.txt"))) {
            return "aidynamo";
        }
        return "unknown";
    }

    /**
     * Why the run in {@code runDir} failed, judged from its files; null when it looks successful (or the workload has
     * no file-based rule).
     *
     * @param template       {@code test_template_name} from test-run.toml, or null
     * @param testDefinition {@code [test_definition]} from test-run.toml, or null
     * @param boundary       where the files the test definition names may be
     */
    static String judge(String template, TomlTable testDefinition, Path runDir) {
        return judge(template, testDefinition, runDir, new ReadBoundary(runDir));
    }

    /** {@link #judge(String, TomlTable, Path)} reading only the files inside {@code boundary}. */
    static String judge(String template, TomlTable testDefinition, Path runDir, ReadBoundary boundary) {
        return switch (kind(template, runDir)) {
            case "vllm" -> judgeVllm(testDefinition, runDir);
            case "sglang" -> judgeSglang(testDefinition, runDir);
            case "aidynamo" -> judgeDynamo(testDefinition, runDir, new RunFiles(runDir, boundary));
            default -> null;
        };
    }

    private static String judgeVllm(TomlTable td, Path dir) {
        Path log = dir.resolve("vllm-bench.log");
        if (!Files.isRegularFile(log)) {
            return "vLLM bench log not found in " + dir + " (vllm-bench.log)";
        }
        boolean banner = false;
        String count = null;
        for (String line : lines(log)) {
            if (line.contains(VLLM_BANNER)) {
                banner = true;
                continue;
            }
            if (banner) {
                Matcher m = SUCCESSFUL.matcher(line);
                if (m.find()) {
                    count = m.group(1);
                    break;
                }
            }
        }
        if (!banner) {
            return "vLLM bench log " + log + " has no '" + VLLM_BANNER.replace("=", "").strip()
                    + "' banner: the benchmark did not finish";
        }
        long n;
        try {
            n = count == null ? -1 : Long.parseLong(count);
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n <= 0) {
            return "vLLM bench log " + log + (count == null ? " has no 'Successful requests:' line after the banner"
                    : " reports " + count + " successful requests");
        }
        if (hasTable(td, "semantic_eval_cmd_args") && vllmAccuracy(dir) == null) {
            return "vLLM semantic accuracy not found in " + dir + " (vllm-gsm8k.json or vllm-semantic-eval.log)";
        }
        return null;
    }

    private static Double vllmAccuracy(Path dir) {
        Path json = dir.resolve("vllm-gsm8k.json");
        if (Files.isRegularFile(json)) {
            try {
                JsonNode n = JSON.readTree(json.toFile());
                if (n != null && n.path("accuracy").isNumber()) {
                    return n.path("accuracy").asDouble();
                }
            } catch (IOException e) {
                // fall through to the log
            }
        }
        return regexIn(dir.resolve("vllm-semantic-eval.log"), VLLM_ACCURACY);
    }

    private static String judgeSglang(TomlTable td, Path dir) {
        Path jsonl = dir.resolve("sglang-bench.jsonl");
        if (!Files.isRegularFile(jsonl)) {
            return "SGLang bench output not found in " + dir + " (sglang-bench.jsonl)";
        }
        Long completed = null;
        for (String line : lines(jsonl)) {
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonNode n = JSON.readTree(line);
                if (n != null && n.isObject() && n.path("completed").isNumber()) {
                    completed = n.path("completed").asLong();
                    break;
                }
            } catch (IOException e) {
                // CloudAI skips lines that do not validate
            }
        }
        if (completed == null || completed <= 0) {
            return "SGLang bench jsonl " + jsonl + " does not contain successful requests"
                    + (completed == null ? "" : " (completed=" + completed + ")");
        }
        if (hasTable(td, "semantic_eval_cmd_args")
                && regexIn(dir.resolve("sglang-semantic-eval.log"), SGLANG_ACCURACY) == null) {
            return "SGLang semantic accuracy not found in " + dir + " (sglang-semantic-eval.log)";
        }
        return null;
    }

    private static String judgeDynamo(TomlTable td, Path dir, RunFiles files) {
        Path failure = dir.resolve("failure-marker.txt");
        if (Files.exists(failure)) {
            String first = FsUtil.firstLine(failure);
            return "Failure marker found: " + failure + (first.isEmpty() ? "" : ": " + first);
        }
        Path success = dir.resolve("success-marker.txt");
        if (!Files.exists(success)) {
            return "Success marker file not found: " + success;
        }
        List<String> missing = new ArrayList<>();
        for (String report : dynamoReports(td)) {
            // a report named outside the results is missing from them, whatever is at that path
            if (!files.add(new ArrayList<>(), report, null, WORKLOADS_KEY)) {
                missing.add(report);
            }
        }
        if (!missing.isEmpty()) {
            return "workload report missing in " + dir + ": " + String.join(", ", missing);
        }
        if (td != null && td.get(List.of("cmd_args", "aiperf_accuracy")) instanceof TomlTable) {
            boolean found = Files.isRegularFile(dir.resolve("accuracy_results.csv"));
            for (String sub : ACCURACY_SUBDIRS) {
                found |= Files.isRegularFile(dir.resolve(sub).resolve("accuracy_results.csv"));
            }
            if (!found) {
                return "AIPerf accuracy results (accuracy_results.csv) not found in " + dir;
            }
        }
        return null;
    }

    private static boolean hasTable(TomlTable td, String key) {
        return td != null && td.get(List.of(key)) instanceof TomlTable;
    }

    private static Double regexIn(Path file, Pattern p) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        for (String line : lines(file)) {
            Matcher m = p.matcher(line);
            if (m.find()) {
                try {
                    return Double.parseDouble(m.group(1));
                } catch (NumberFormatException e) {
                    return null;
                }
            }
        }
        return null;
    }

    private static List<String> lines(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            return List.of(new String(bytes, StandardCharsets.UTF_8).split("\\R"));
        } catch (IOException e) {
            return List.of();
        }
    }
}
