package dev.autotune.api.cli;

import dev.autotune.api.app.Autotune;
import dev.autotune.api.render.ExperimentJson;
import dev.autotune.api.render.Formats;
import dev.autotune.domain.Metric;
import dev.autotune.domain.query.ExperimentDetail;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Show one experiment: config, metrics, notes, metadata and its event timeline.")
final class ShowCommand implements Callable<Integer> {
    @Mixin
    DbOption db;

    @Parameters(paramLabel = "ID", description = "experiment number (as in `list`) or full id")
    String id;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    public Integer call() {
        try (Autotune autotune = new Autotune(db.path())) {
            ExperimentDetail d = autotune.show(id);
            System.out.print(json ? ExperimentJson.pretty(ExperimentJson.detail(d)) + "\n" : render(d));
        }
        return AutotuneCli.OK;
    }

    static String render(ExperimentDetail d) {
        StringBuilder out = new StringBuilder();
        out.append("experiment ").append(d.number()).append("  ").append(d.status().code())
                .append("  (").append(d.experimentId()).append(")\n");
        field(out, "scenario", d.scenario());
        field(out, "backend", d.backend());
        field(out, "source", d.source() + (d.runId() == null ? "" : ", run " + d.runId()));
        field(out, "started", Formats.when(d.startedAt()));
        field(out, "ended", Formats.when(d.endedAt()));
        if (d.configPath() != null) {
            field(out, "config file", d.configPath() + " (sha256 " + d.configSha256() + ")");
        }
        if (d.failureCategory() != null) {
            field(out, "failure", d.failureCategory() + ": " + d.failureMessage()
                    + (d.exitCode() == null ? "" : " (exit code " + d.exitCode() + ")"));
        }
        if (d.logPath() != null) {
            field(out, "log", d.logPath());
        }
        if (d.notes() != null) {
            field(out, "notes", d.notes());
        }
        section(out, "config", d.config());
        out.append("\nmetrics\n");
        if (d.metrics().isEmpty()) {
            out.append("  (none)\n");
        }
        for (Metric m : Metric.values()) {
            Double v = d.metrics().get(m.key());
            if (v != null) {
                out.append(String.format("  %-26s %s %s%n", m.key(), Formats.number(v), m.unit()).stripTrailing()).append('\n');
            }
        }
        if (!d.metadata().isEmpty()) {
            section(out, "metadata", d.metadata());
        }
        if (!d.reports().isEmpty()) {
            out.append("\nreports\n");
            for (var r : d.reports()) {
                out.append("  ").append(r.path()).append("  ").append(r.format()).append("  sha256 ")
                        .append(r.sha256()).append('\n');
                r.warnings().forEach(w -> out.append("    warning: ").append(w).append('\n'));
            }
        }
        out.append("\ntimeline\n");
        for (var t : d.timeline()) {
            out.append("  ").append(t.at()).append("  ").append(t.event()).append("  ").append(t.detail()).append('\n');
        }
        return out.toString();
    }

    private static void field(StringBuilder out, String name, String value) {
        out.append(String.format("  %-12s %s%n", name, value == null ? "-" : value));
    }

    private static void section(StringBuilder out, String title, Map<String, ?> values) {
        out.append('\n').append(title).append('\n');
        if (values.isEmpty()) {
            out.append("  (none)\n");
        }
        values.forEach((k, v) -> out.append("  ").append(k).append(" = ").append(Formats.value(v)).append('\n'));
    }
}
