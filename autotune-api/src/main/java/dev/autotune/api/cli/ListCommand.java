package dev.autotune.api.cli;

import dev.autotune.api.app.Autotune;
import dev.autotune.api.app.ExperimentJson;
import dev.autotune.api.app.UserError;
import dev.autotune.domain.ExperimentStatus;
import dev.autotune.domain.Metric;
import dev.autotune.projections.ExperimentSummary;
import dev.autotune.projections.ListProjection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;

@Command(name = "list", mixinStandardHelpOptions = true, description = "List recorded experiments.")
final class ListCommand implements Callable<Integer> {
    private static final List<Metric> HEADLINE = List.of(Metric.LATENCY_MS, Metric.TTFT_MS,
            Metric.THROUGHPUT_TOKENS_PER_SEC, Metric.FAILURE_RATE);

    @Mixin
    DbOption db;

    @Option(names = "--scenario", description = "only this scenario")
    String scenario;

    @Option(names = "--status", description = "only experiments with this status: running, completed, failed, abandoned")
    String status;

    @Option(names = "--backend", description = "only this backend")
    String backend;

    @Option(names = "--json", description = "print JSON instead of a table")
    boolean json;

    @Override
    public Integer call() {
        ExperimentStatus st;
        try {
            st = status == null ? null : ExperimentStatus.parse(status);
        } catch (IllegalArgumentException e) {
            throw new UserError("--status: " + e.getMessage());
        }
        try (Autotune autotune = new Autotune(db.path())) {
            List<ExperimentSummary> rows = autotune.list(new ListProjection.Filter(scenario, st, backend));
            if (json) {
                System.out.println(ExperimentJson.pretty(ExperimentJson.summaries(rows)));
            } else if (rows.isEmpty()) {
                System.out.println("no experiments recorded in " + autotune.dbPath()
                        + (scenario != null || st != null || backend != null ? " match the filter" : " yet")
                        + "; record one with `autotune ingest REPORT` or `autotune run SCENARIO.toml`");
            } else {
                System.out.print(table(rows));
            }
        }
        return AutotuneCli.OK;
    }

    static String table(List<ExperimentSummary> rows) {
        List<String> knobs = varyingKnobs(rows);
        List<String> header = new ArrayList<>(List.of("id", "status", "scenario", "backend"));
        header.addAll(knobs);
        HEADLINE.forEach(m -> header.add(m == Metric.THROUGHPUT_TOKENS_PER_SEC ? "tok/s" : m.key()));
        header.add("when");
        TextTable table = new TextTable(header);
        for (ExperimentSummary r : rows) {
            List<String> cells = new ArrayList<>(List.of(Integer.toString(r.number()),
                    r.failureCategory() == null || r.status() == ExperimentStatus.ABANDONED
                            ? r.status().code() : r.status().code() + ":" + r.failureCategory(),
                    r.scenario(), Objects.requireNonNullElse(r.backend(), "-")));
            knobs.forEach(k -> cells.add(Formats.value(r.knobs().get(k))));
            HEADLINE.forEach(m -> cells.add(Formats.number(r.metric(m.key()))));
            cells.add(Formats.when(r.startedAt()));
            table.add(cells);
        }
        return table.render();
    }

    /** The knobs whose value differs between rows: the ones a reader compares. */
    static List<String> varyingKnobs(List<ExperimentSummary> rows) {
        Set<String> keys = new TreeSet<>();
        rows.forEach(r -> keys.addAll(r.knobs().keySet()));
        List<String> varying = new ArrayList<>();
        for (String k : keys) {
            Set<String> values = new LinkedHashSet<>();
            rows.forEach(r -> values.add(Formats.value(r.knobs().get(k))));
            if (values.size() > 1) {
                varying.add(k);
            }
        }
        return varying;
    }
}
