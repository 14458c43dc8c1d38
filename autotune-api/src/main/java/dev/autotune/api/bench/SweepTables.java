package dev.autotune.api.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Reads the measured sweeps in {@code shared/sweeps} (see its SWEEPS.md) into {@link OracleScenario}s, following
 * SWEEPS.md's protocol: a scenario fixes the workload; the remaining config columns are knobs (those constant
 * within the scenario are dropped); rows with the same knob values are repeated measurements and are averaged.
 *
 * <ul>
 * <li>aiconfigurator silicon ({@code mode=agg} rows with a {@code silicon_concurrency}): scenario = model,
 * system, ISL, OSL; knobs = backend, version, precisions, tp/pp/attention-dp/moe-tp/moe-ep, batch size and the
 * client concurrency; system output tok/s derived as N*OSL / ((TTFT + (OSL-1)*TPOT)/1000); the SLO metric is
 * TPOT ({@code tpot_ms}); GPUs = tp*pp*attention_dp.</li>
 * <li>ML.ENERGY v3: scenario = task, model; knobs = gpu_model, num_gpus, tensor/expert/data parallel,
 * max_num_seqs; SLO metric p95 ITL ({@code itl_p95_ms}); GPUs = num_gpus.</li>
 * <li>Argonne LLM-Inference-Bench ({@code Plots/All_results.csv}): scenario = model, input=output length; knobs
 * = hardware, framework, number of devices, batch size; SLO metric the batch latency ({@code latency_ms}, from
 * seconds); GPUs = number of devices.</li>
 * </ul>
 */
public final class SweepTables {
    static final String AIC = "aiconfigurator-silicon/aic-core/src/aiconfigurator_core/systems/silicon_sample.csv";
    static final String MLENERGY = "mlenergy-leaderboard-v3/public/data/tasks";
    static final String ARGONNE = "argonne-llm-inference-bench/Plots/All_results.csv";

    private SweepTables() {
    }

    /**
     * Every scenario, with at least {@code minConfigs} configs, of the three sources found under {@code dir} and of
     * every table in the generic format ({@link #generic}) directly in it; or of one generic table when {@code dir}
     * is that CSV file.
     */
    public static List<OracleScenario> load(Path dir, int minConfigs) throws IOException {
        List<OracleScenario> out = new ArrayList<>();
        if (Files.isRegularFile(dir)) {
            return generic(dir).stream().filter(s -> s.size() >= minConfigs).toList();
        }
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".csv")).sorted().toList()) {
                    out.addAll(generic(f));
                }
            }
        }
        if (Files.exists(dir.resolve(AIC))) {
            out.addAll(aiconfigurator(Files.readAllLines(dir.resolve(AIC))));
        }
        if (Files.isDirectory(dir.resolve(MLENERGY))) {
            try (Stream<Path> files = Files.list(dir.resolve(MLENERGY))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                    out.addAll(mlenergy(Files.readString(f)));
                }
            }
        }
        if (Files.exists(dir.resolve(ARGONNE))) {
            out.addAll(argonne(Files.readAllLines(dir.resolve(ARGONNE))));
        }
        if (out.isEmpty()) {
            throw new IOException("no sweep tables under " + dir + " (expected " + AIC + ", " + MLENERGY + ", " + ARGONNE
                    + ", or tables in the generic format: *.csv with scenario, throughput_tokens_per_sec and one "
                    + "latency column)");
        }
        return out.stream().filter(s -> s.size() >= minConfigs).toList();
    }

    /** The generic table's throughput column (system tokens per second). */
    static final String THROUGHPUT = "throughput_tokens_per_sec";
    /** The generic table's optional GPU-count column: per GPU divides by it (1 when absent). */
    static final String GPUS = "gpus";

    /** A table in the generic format, its source named after the file. */
    static List<OracleScenario> generic(Path file) throws IOException {
        String name = file.getFileName().toString().replaceFirst("\\.csv$", "");
        try {
            return generic(name, Files.readAllLines(file));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The generic format, one CSV for a team's own sweeps: a header with {@code scenario} (what the workload is: the
     * model, lengths, hardware held fixed), {@code throughput_tokens_per_sec} (system throughput), exactly one
     * latency column whose name ends in {@code _ms} (the SLO metric: the SLO is its upper median over the scenario's
     * configs), optionally {@code gpus} (the GPU count of the row's config, for throughput per GPU), and any other
     * column a knob. Rows with equal knob values are repeats and averaged; knobs constant within a scenario are
     * dropped. A missing column or a value that is not a number is an error naming the column (and the line).
     */
    static List<OracleScenario> generic(String source, List<String> lines) {
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("empty: expected a header with scenario, " + THROUGHPUT
                    + " and one latency column ending in _ms");
        }
        List<String> header = Csv.split(lines.get(0)).stream().map(String::trim).toList();
        for (String required : List.of("scenario", THROUGHPUT)) {
            if (!header.contains(required)) {
                throw new IllegalArgumentException("no column '" + required + "' in the header " + header);
            }
        }
        List<String> latency = header.stream().filter(c -> c.endsWith("_ms")).toList();
        if (latency.size() != 1) {
            throw new IllegalArgumentException("expected exactly one latency column ending in _ms (the SLO metric), "
                    + "found " + latency);
        }
        List<String> knobColumns = header.stream().filter(c -> !c.equals("scenario") && !c.equals(THROUGHPUT)
                && !c.equals(latency.get(0))).toList();
        List<Row> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            Map<String, String> r = Csv.record(header, lines.get(i));
            Map<String, String> knobs = new LinkedHashMap<>();
            knobColumns.forEach(c -> knobs.put(c, r.get(c) == null ? "" : r.get(c).trim()));
            rows.add(new Row(r.get("scenario"), knobs, measured(r, THROUGHPUT, i + 1), measured(r, latency.get(0), i + 1)));
        }
        return merge(source, rows, latency.get(0), knobColumns.contains(GPUS) ? List.of(GPUS) : List.of());
    }

    private static double measured(Map<String, String> row, String column, int line) {
        String v = row.get(column);
        try {
            double d = Double.parseDouble(v == null ? "" : v.trim());
            if (!Double.isFinite(d) || d < 0) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("line " + line + ", column '" + column + "': '" + v
                    + "' is not a measured value (a number, 0 or more)");
        }
    }

    /** A measured row before merging: its scenario, knob columns (as read), throughput (system tok/s) and SLO metric. */
    private record Row(String scenario, Map<String, String> knobs, double throughput, double latency) {
    }

    static List<OracleScenario> aiconfigurator(List<String> lines) {
        List<String> header = Csv.split(lines.get(0));
        List<String> knobColumns = List.of("backend", "backend_version", "precision", "gemm_quant_mode", "moe_quant_mode",
                "batch_size", "tp_size", "pp_size", "attention_dp_size", "moe_tp_size", "moe_ep_size");
        List<Row> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            Map<String, String> r = Csv.record(header, line);
            String concurrency = field(r.get("silicon_data_source"), "silicon_concurrency");
            if (!"agg".equals(r.get("mode")) || concurrency == null) {
                continue;
            }
            Map<String, String> knobs = new LinkedHashMap<>();
            knobColumns.forEach(c -> knobs.put(c, r.get(c)));
            knobs.put("concurrency", concurrency);
            double ttft = Double.parseDouble(r.get("silicon_ttft_ms"));
            double tpot = Double.parseDouble(r.get("silicon_tpot_ms"));
            double osl = Double.parseDouble(r.get("osl"));
            double n = Double.parseDouble(concurrency);
            double throughput = n * osl / ((ttft + (osl - 1) * tpot) / 1000);
            String scenario = r.get("model_path") + " " + r.get("system") + " " + r.get("isl") + "/" + r.get("osl");
            rows.add(new Row(scenario, knobs, throughput, tpot));
        }
        return merge("aiconfigurator", rows, "tpot_ms", List.of("tp_size", "pp_size", "attention_dp_size"));
    }

    static List<OracleScenario> mlenergy(String json) throws IOException {
        JsonNode root = new ObjectMapper().readTree(json);
        String task = root.path("task").asText();
        List<Row> rows = new ArrayList<>();
        for (JsonNode c : root.path("configurations")) {
            Map<String, String> knobs = new LinkedHashMap<>();
            for (String k : List.of("gpu_model", "num_gpus", "tensor_parallel", "expert_parallel", "data_parallel",
                    "max_num_seqs")) {
                knobs.put(k, c.path(k).asText());
            }
            rows.add(new Row(task + " " + c.path("model_id").asText(), knobs,
                    c.path("output_throughput_tokens_per_sec").asDouble(), c.path("p95_itl_ms").asDouble()));
        }
        return merge("mlenergy", rows, "itl_p95_ms", List.of("num_gpus"));
    }

    static List<OracleScenario> argonne(List<String> lines) {
        List<String> header = Csv.split(lines.get(0));
        List<Row> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            Map<String, String> r = Csv.record(header, line);
            Map<String, String> knobs = new LinkedHashMap<>();
            for (String k : List.of("Hardware", "Framework", "Num of Hardware", "Batch Size")) {
                knobs.put(identifier(k), r.get(k));
            }
            rows.add(new Row(r.get("Model") + " " + r.get("Input Output Length"), knobs,
                    Double.parseDouble(r.get("Throughput")), 1000 * Double.parseDouble(r.get("Latency"))));
        }
        return merge("argonne", rows, "latency_ms", List.of("num_of_hardware"));
    }

    /** Groups rows by scenario, averages repeated knob tuples, drops knobs constant within the scenario. */
    private static List<OracleScenario> merge(String source, List<Row> rows, String latencyMetric, List<String> gpuColumns) {
        Map<String, List<Row>> byScenario = new TreeMap<>();
        for (Row r : rows) {
            byScenario.computeIfAbsent(r.scenario(), k -> new ArrayList<>()).add(r);
        }
        List<OracleScenario> out = new ArrayList<>();
        byScenario.forEach((name, list) -> {
            Map<Map<String, String>, double[]> sums = new LinkedHashMap<>();
            for (Row r : list) {
                double[] s = sums.computeIfAbsent(r.knobs(), k -> new double[3]);
                s[0] += r.throughput();
                s[1] += r.latency();
                s[2]++;
            }
            List<String> columns = new ArrayList<>(list.get(0).knobs().keySet());
            List<String> varying = columns.stream()
                    .filter(c -> sums.keySet().stream().map(k -> k.get(c)).distinct().count() > 1).toList();
            List<OracleScenario.Config> configs = new ArrayList<>();
            sums.forEach((knobs, s) -> configs.add(new OracleScenario.Config(typed(knobs, varying, sums.keySet()),
                    s[0] / s[2], s[1] / s[2], (int) s[2])));
            if (varying.isEmpty()) {
                return;
            }
            // the GPU count: varying columns by name, constant ones by their value
            Map<String, String> first = list.get(0).knobs();
            String gpus = gpuColumns.isEmpty() ? "1" : String.join(" * ", gpuColumns.stream()
                    .map(c -> varying.contains(c) ? c : blankToOne(first.get(c))).toList());
            out.add(new OracleScenario(source, name, varying, configs, latencyMetric, gpus));
        });
        return out;
    }

    private static String blankToOne(String v) {
        return v == null || v.isBlank() ? "1" : v;
    }

    /** A column's values as numbers when every config's value in the scenario reads as one, else as strings. */
    private static Map<String, Object> typed(Map<String, String> knobs, List<String> varying,
                                             java.util.Set<Map<String, String>> all) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String c : varying) {
            boolean numeric = all.stream().allMatch(k -> number(k.get(c)) != null);
            String v = knobs.get(c);
            out.put(c, numeric ? number(v) : v == null ? "" : v);
        }
        return out;
    }

    private static Number number(String v) {
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            double d = Double.parseDouble(v.trim());
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? (Number) (long) d : (Number) d;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A column name as a knob identifier the expression language reads: "Num of Hardware" -> num_of_hardware. */
    static String identifier(String column) {
        return column.trim().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
    }

    /** {@code key=value} out of aiconfigurator's "a=1; b=2" source strings. */
    static String field(String text, String key) {
        if (text == null) {
            return null;
        }
        for (String part : text.split(";")) {
            String p = part.trim();
            if (p.startsWith(key + "=")) {
                return p.substring(key.length() + 1).trim();
            }
        }
        return null;
    }

    /** Comma-separated values with double-quoted fields ("" inside quotes is a quote). */
    static final class Csv {
        private Csv() {
        }

        static List<String> split(String line) {
            List<String> out = new ArrayList<>();
            StringBuilder cur = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (quoted) {
                    if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        cur.append('"');
                        i++;
                    } else if (c == '"') {
                        quoted = false;
                    } else {
                        cur.append(c);
                    }
                } else if (c == '"') {
                    quoted = true;
                } else if (c == ',') {
                    out.add(cur.toString());
                    cur.setLength(0);
                } else {
                    cur.append(c);
                }
            }
            out.add(cur.toString());
            return out;
        }

        static Map<String, String> record(List<String> header, String line) {
            List<String> cells = split(line);
            Map<String, String> out = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                out.put(header.get(i), i < cells.size() ? cells.get(i).trim() : "");
            }
            return out;
        }
    }
}
