package dev.autotune.api.cli;

import dev.autotune.api.app.history.History;
import dev.autotune.api.app.Autotune;
import dev.autotune.api.render.ExperimentJson;
import dev.autotune.api.render.TerminalText;
import dev.autotune.domain.query.ExperimentSummary;
import dev.autotune.domain.query.ListFilter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

@Command(name = "list", mixinStandardHelpOptions = true, addMethodSubcommands = false, description = "List recorded experiments.",
        footerHeading = "%nExample:%n", footer = "  autotune list --where \"knob.tensor_parallel_size >= 2 and metric.ttft_ms < 50 "
                + "and tag.gpu = 'H100'\" --sort tpot_ms:asc --columns id,tensor_parallel_size,ttft_ms,tpot_ms,latency_p95_ms")
final class ListCommand implements Callable<Integer> {
    @Mixin
    Output io;

    @Mixin
    DbOption db;

    @Option(names = "--scenario", description = "only this scenario")
    String scenario;

    @Option(names = "--status", description = "only experiments with this status: running, completed, failed, abandoned")
    String status;

    @Option(names = "--backend", description = "only this backend")
    String backend;

    @Option(names = "--last", paramLabel = "N", description = "only N experiments: the N most recent (still oldest first); with --sort the first N "
            + "of that order over the whole history")
    Integer last;

    @Option(names = "--where", paramLabel = "FILTER", description = "only experiments matching the filter, e.g. "
            + "\"knob.tp >= 2 and metric.ttft_ms < 50 and tag.gpu = 'H100' and recorded >= 2026-11-01\" (see README)")
    String where;

    @Option(names = "--sort", paramLabel = "COLUMN[:asc|desc]", description = "order by any column: a field (id, status, "
            + "scenario, backend, recorded), a metric (tpot_ms, latency_p95_ms, ...), a knob or tag.NAME; asc by default")
    String sort;

    @Option(names = "--columns", paramLabel = "A,B,C", description = "the columns to show, by the names --sort takes")
    String columns;

    @Option(names = "--wide", description = "every column: all varying knobs, every metric and tag any experiment has")
    boolean wide;

    @Mixin
    GpusOption gpus;

    @Option(names = "--include-excluded", description = "also the experiments excluded with `autotune exclude`")
    boolean includeExcluded;

    @Option(names = "--json", description = "print JSON instead of a table")
    boolean json;

    @Override
    public Integer call() {
        History.newest(last);
        try (Autotune autotune = db.existing()) {
            autotune.history().requireScenario(scenario);
            ListFilter filter = autotune.history().filter(scenario, status, backend, includeExcluded);
            boolean plain = where == null && sort == null && columns == null && !wide && gpus.expression == null;
            if (json) {
                List<ExperimentSummary> rows = plain ? autotune.history().list(filter, last)
                        : autotune.history().table(filter, where, sort, null, false, last, gpus.expression).rows();
                io.out().println(ExperimentJson.pretty(ExperimentJson.summaries(rows)));
                return AutotuneCli.OK;
            }
            History.ListTable table = plain ? null
                    : autotune.history().table(filter, where, sort, columns, wide, last, gpus.expression);
            if (table != null) {
                GpusOption.printNotes(io.err(), table.gpuNotes());
            }
            // the plain table reads only the metrics it shows: the fast path for long histories
            List<ExperimentSummary> lines = plain ? autotune.history().lines(filter, TerminalText.HEADLINE_KEYS, last) : table.rows();
            if (lines.isEmpty()) {
                io.out().println("no experiments recorded in " + autotune.database()
                        + (!filter.equals(ListFilter.ALL) || where != null ? " match the filter" : " yet")
                        + "; record one with `autotune ingest REPORT` or `autotune run SCENARIO.toml`");
            } else if (table != null && table.columns() != null) {
                io.print(TerminalText.table(lines, table.columns()));
            } else {
                io.print(TerminalText.list(lines, terminalWidth()));
            }
        }
        return AutotuneCli.OK;
    }

    /**
     * The width to fit the default table to: $COLUMNS, else the terminal's own when printing to one; unlimited
     * when the output goes to a file or pipe (a script reads every column).
     */
    static int terminalWidth() {
        String env = System.getenv("COLUMNS");
        if (env != null && env.matches("\\d{1,4}") && Integer.parseInt(env) > 0) {
            return Integer.parseInt(env);
        }
        if (System.console() == null) {
            return Integer.MAX_VALUE;
        }
        try {
            Process stty = new ProcessBuilder("stty", "size").redirectInput(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(stty.getInputStream().readAllBytes()).trim();
            if (stty.waitFor(1, TimeUnit.SECONDS) && out.matches("\\d+ \\d+")) {
                return Integer.parseInt(out.split(" ")[1]);
            }
        } catch (IOException e) {
            // no stty: print every column
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Integer.MAX_VALUE;
    }
}
