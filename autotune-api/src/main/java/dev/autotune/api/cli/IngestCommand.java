package dev.autotune.api.cli;

import dev.autotune.api.app.recording.Recording;
import dev.autotune.api.app.Autotune;
import dev.autotune.api.app.common.UserError;
import dev.autotune.api.render.Formats;
import dev.autotune.domain.Metric;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "ingest", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n", footer = {"  autotune ingest report.json --scenario chat --set serving.batch_size=8", "  autotune ingest 'runs/**/*.json' --config llama3-8b-chat.toml"},
        description = {"Record finished benchmark reports, each as a completed experiment.",
                "Give one report, or several files, directories (read recursively) and globs: each report is recorded "
                        + "on its own, atomically; duplicates are skipped, and a summary names every refused file "
                        + "with the reason. Exit 0 when every report was recorded or skipped as a duplicate, 2 when "
                        + "any was refused."})
final class IngestCommand implements Callable<Integer> {
    @Mixin
    Output io;

    @Mixin
    DbOption db;

    @Parameters(paramLabel = "REPORT", arity = "1..*", description = "report file (AIPerf, GenAI-Perf, GuideLLM "
            + "JSON/YAML/console summary, vLLM, SGLang, CloudAI CSV, generic JSON/JSONL or a key: value log), a CloudAI "
            + "DSE trajectory.csv in its results dir (one experiment per step), directory or glob")
    List<String> reports;

    @Option(names = "--config", paramLabel = "TOML", description = "config the benchmark ran with; scenario, "
            + "backend and knob values come from it unless given explicitly")
    Path config;

    @Option(names = "--scenario", description = "scenario name (default: from --config, else 'default')")
    String scenario;

    @Option(names = "--backend", description = "serving backend, e.g. vllm, sglang, dynamo")
    String backend;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "a knob value, typed like TOML (repeatable)")
    List<String> sets;

    @Option(names = "--notes", description = "free text kept with the experiment")
    String notes;

    @Option(names = "--metadata", paramLabel = "KEY=VALUE", description = "a metadata string (repeatable)")
    List<String> metadata;

    @Option(names = "--format", completionCandidates = Choices.ReportFormats.class,
            description = "force the report format instead of detecting it: ${COMPLETION-CANDIDATES}")
    String format;

    @Option(names = "--knobs-from-path", paramLabel = "PATTERN", description = "knob values from each report's file "
            + "or directory name, e.g. 'tp{tensor_parallel_size}_c{max_concurrency}' reads tp8_c32.json; a file whose "
            + "name does not match is refused, one line each")
    String knobsFromPath;

    @Option(names = "--allow-duplicate", description = "record a report already recorded with the same config")
    boolean allowDuplicate;

    @Option(names = "--max-report-mb", paramLabel = "N", defaultValue = "64",
            description = "largest report file read, in MB (default: ${DEFAULT-VALUE})")
    long maxReportMb;

    @Override
    public Integer call() {
        if (maxReportMb <= 0 || maxReportMb > Integer.MAX_VALUE / (1024 * 1024)) {
            throw new UserError("max_report_mb", "must be between 1 and " + Integer.MAX_VALUE / (1024 * 1024)
                    + ", got " + maxReportMb);
        }
        long maxReportBytes = maxReportMb * 1024 * 1024;
        dev.autotune.domain.PathKnobs fromPath;
        try {
            fromPath = knobsFromPath == null ? null : dev.autotune.domain.PathKnobs.compile(knobsFromPath);
        } catch (IllegalArgumentException e) {
            throw new UserError("knobs_from_path", e.getMessage(), e);
        }
        Path single = reports.size() == 1 && !BulkIngest.isGlob(reports.get(0)) ? Path.of(reports.get(0)) : null;
        if (single == null || Files.isDirectory(single)) {
            try (Autotune autotune = db.open(maxReportBytes)) {
                return new BulkIngest(autotune, io.out(), io.err(), System.console() != null).run(reports,
                        file -> fromPath(autotune, fromPath, new Recording.IngestInput(file, format, config, scenario,
                                backend, sets, notes, metadata, allowDuplicate)));
            }
        }
        Path report = single;
        try (Autotune autotune = db.open(maxReportBytes)) {
            var r = autotune.recording().ingest(fromPath(autotune, fromPath, new Recording.IngestInput(report, format, config,
                    scenario, backend, sets, notes, metadata, allowDuplicate)));
            if (Recording.TRAJECTORY_FORMAT.equals(r.format())) {
                // a sweep: one experiment per step, each with its own metrics (`autotune list` shows them side by side)
                io.out().println("recorded experiments " + r.numbers().stream().map(String::valueOf)
                        .collect(java.util.stream.Collectors.joining(", ")) + " from " + report + " (" + r.format()
                        + ", one per step)");
                r.warnings().forEach(w -> io.out().println("  warning: " + w));
                // every row of the trajectory is accounted for; a row whose results are missing is a refusal
                r.rows().forEach(row -> io.out().println("  " + row));
                r.rows().stream().filter(row -> row.contains(": refused"))
                        .forEach(row -> io.err().println("autotune: " + report + ": " + row));
                return r.refusedRows() ? AutotuneCli.BAD_INPUT : AutotuneCli.OK;
            }
            io.out().println("recorded experiment " + r.number() + " from " + report + " (" + r.format() + ")");
            for (Metric m : Metric.HEADLINE) {
                io.out().printf("  %-26s %s%n", m.key(), Formats.number(r.metric(m)));
            }
            int more = (int) r.metrics().keySet().stream().filter(m -> !Metric.HEADLINE.contains(m)).count();
            if (more > 0) {
                io.out().println("  and " + more + " more metrics: autotune show " + r.number());
            }
            r.warnings().forEach(w -> io.out().println("  warning: " + w));
        }
        return AutotuneCli.OK;
    }

    private static Recording.IngestInput fromPath(Autotune autotune, dev.autotune.domain.PathKnobs pattern,
                                                 Recording.IngestInput input) {
        return pattern == null ? input : autotune.recording().withKnobsFromPath(input, pattern);
    }
}
