package dev.autotune.runner.cloudai;

import dev.autotune.runner.config.Flattener;
import dev.autotune.runner.config.TomlValues;
import dev.autotune.runner.report.ParsedReport;
import dev.autotune.runner.report.ReportException;
import dev.autotune.runner.report.ReportParser;
import org.tomlj.TomlArray;
import org.tomlj.TomlTable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * AI Dynamo's multi-phase AIPerf runs ({@code [[cmd_args.aiperf_phases]]}, each with a {@code name} and {@code args}
 * merged over {@code cmd_args.aiperf.args}). With more than one phase CloudAI gives each phase its own report,
 * {@code aiperf_<name>_report.csv} unless the phase sets {@code report-name}, and copies the last one to
 * {@code aiperf_report.csv}; each phase is a measurement of its own (typically at another concurrency).
 */
final class AiperfPhases {
    static final String PHASE_KNOB = "aiperf_phase";

    private AiperfPhases() {
    }

    /** The phases with a readable report, in order; empty unless the test defines two or more phases. */
    static List<StepResult.Phase> read(TomlTable td, Path runDir, ReportParser parser, ReadBoundary boundary,
                                       Consumer<String> note) {
        List<StepResult.Phase> out = new ArrayList<>();
        if (td == null || !(td.get(List.of("cmd_args", "aiperf_phases")) instanceof TomlArray phases)
                || phases.size() < 2) {
            return out;
        }
        for (int i = 0; i < phases.size(); i++) {
            if (!phases.isTable(i)) {
                continue;
            }
            TomlTable phase = phases.getTable(i);
            String name = phase.get(List.of("name")) instanceof String s ? s : "phase_" + (i + 1);
            String key = phase.get(List.of("report-name")) instanceof String ? "report-name"
                    : phase.get(List.of("report_name")) instanceof String ? "report_name" : null;
            String reportName = key != null ? (String) phase.get(List.of(key)) : "aiperf_" + name + "_report.csv";
            Path report;
            try {
                report = runDir.resolve(reportName);
            } catch (java.nio.file.InvalidPathException e) {
                note.accept("note: AIPerf phase " + name + " names no usable report file: " + e.getMessage());
                continue;
            }
            if (!boundary.admit(report, runDir.resolve("test-run.toml"),
                    "cmd_args.aiperf_phases[" + i + "]." + (key == null ? "name" : key))) {
                continue; // named outside the results: not looked at, the caller warns or refuses
            }
            if (!Files.isRegularFile(report)) {
                note.accept("note: AIPerf phase " + name + " left no report (" + report + ")");
                continue;
            }
            ParsedReport parsed;
            try {
                parsed = parser.parse(report);
            } catch (ReportException | RuntimeException e) {
                note.accept("note: AIPerf phase " + name + ": " + e.getMessage());
                continue;
            }
            Map<String, Object> knobs = new LinkedHashMap<>();
            knobs.put(PHASE_KNOB, name);
            if (phase.get(List.of("args")) instanceof TomlTable args) {
                Flattener.flatten((Map<?, ?>) TomlValues.toJava(args)).forEach((k, v) -> knobs.put("aiperf.args." + k, v));
            }
            out.add(new StepResult.Phase(name, knobs, parsed));
        }
        return out;
    }
}
