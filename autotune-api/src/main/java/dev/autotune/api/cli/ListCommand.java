package dev.autotune.api.cli;

import dev.autotune.api.app.Autotune;
import dev.autotune.api.render.ExperimentJson;
import dev.autotune.api.render.Formats;
import dev.autotune.api.render.TextTable;
import dev.autotune.domain.ExperimentStatus;
import dev.autotune.domain.Metric;
import dev.autotune.domain.analysis.KnobValues;
import dev.autotune.domain.query.ExperimentSummary;
import dev.autotune.domain.query.ListFilter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;

@Command(name = "list", mixinStandardHelpOptions = true, description = "List recorded experiments.")
final class ListCommand implements Callable<Integer> {
    static final List<String> HEADLINE_KEYS = Metric.HEADLINE.stream().map(Metric::key).toList();

    @Mixin
    DbOption db;

    @Option(names = "--scenario", description = "only this scenario")
    String scenario;

    @Option(names = "--status", description = "only experiments with this status: running, completed, failed, abandoned")
    String status;

    @Option(names = "--backend", description = "only this backend")
    String backend;

    @Option(names = "--last", paramLabel = "N", description = "only the N most recent experiments (still oldest first)")
    Integer last;

    @Option(names = "--json", description = "print JSON instead of a table")
    boolean json;

    @Override
    public Integer call() {
        try (Autotune autotune = new Autotune(db.path())) {
            ListFilter filter = autotune.filter(scenario, status, backend);
            if (json) {
                System.out.println(ExperimentJson.pretty(ExperimentJson.summaries(autotune.list(filter, last))));
                return AutotuneCli.OK;
            }
            List<ExperimentSummary> lines = autotune.lines(filter, HEADLINE_KEYS, last);
            if (lines.isEmpty()) {
                System.out.println("no experiments recorded in " + autotune.dbPath()
                        + (!filter.equals(ListFilter.ALL) ? " match the filter" : " yet")
                        + "; record one with `autotune ingest REPORT` or `autotune run SCENARIO.toml`");
            } else {
                System.out.print(table(lines));
            }
        }
        return AutotuneCli.OK;
    }

    /** The lines as an aligned table: the knobs that vary between them, then the headline metrics. */
    static String table(List<ExperimentSummary> lines) {
        List<String> knobs = varyingKnobs(lines);
        List<String> header = new ArrayList<>(List.of("id", "status", "scenario", "backend"));
        header.addAll(knobs);
        Metric.HEADLINE.forEach(m -> header.add(m == Metric.THROUGHPUT_TOKENS_PER_SEC ? "tok/s" : m.key()));
        header.add("when");
        TextTable table = new TextTable(header);
        for (ExperimentSummary r : lines) {
            table.add(cells(r, knobs, header.size()));
        }
        return table.render();
    }

    /** One line's cells; a method of its own so the JIT compiles it early in a long list. */
    private static String[] cells(ExperimentSummary r, List<String> knobs, int width) {
        String[] cells = new String[width];
        int c = 0;
        cells[c++] = Integer.toString(r.number());
        cells[c++] = r.failureCategory() == null || r.status() == ExperimentStatus.ABANDONED
                ? r.status().code() : r.status().code() + ":" + r.failureCategory();
        cells[c++] = r.scenario();
        cells[c++] = Objects.requireNonNullElse(r.backend(), "-");
        for (String k : knobs) {
            cells[c++] = Formats.value(r.knobs().get(k));
        }
        for (String key : HEADLINE_KEYS) {
            cells[c++] = Formats.number(r.metric(key));
        }
        cells[c] = Formats.when(r.startedAt());
        return cells;
    }

    /** The knobs whose value differs between lines; lines with equal knobs share one map, compared once. */
    static List<String> varyingKnobs(List<ExperimentSummary> lines) {
        Set<Map<String, Object>> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
        lines.forEach(l -> distinct.add(l.knobs()));
        return KnobValues.varying(distinct);
    }
}
