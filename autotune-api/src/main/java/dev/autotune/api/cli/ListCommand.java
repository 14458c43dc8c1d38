package dev.autotune.api.cli;

import dev.autotune.api.app.Autotune;
import dev.autotune.api.render.ExperimentJson;
import dev.autotune.api.render.TerminalText;
import dev.autotune.domain.query.ExperimentSummary;
import dev.autotune.domain.query.ListFilter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "list", mixinStandardHelpOptions = true, description = "List recorded experiments.")
final class ListCommand implements Callable<Integer> {
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

    @Option(names = "--include-excluded", description = "also the experiments excluded with `autotune exclude`")
    boolean includeExcluded;

    @Option(names = "--json", description = "print JSON instead of a table")
    boolean json;

    @Override
    public Integer call() {
        try (Autotune autotune = Autotune.existing(db.path())) {
            autotune.requireScenario(scenario);
            ListFilter filter = autotune.filter(scenario, status, backend, includeExcluded);
            if (json) {
                System.out.println(ExperimentJson.pretty(ExperimentJson.summaries(autotune.list(filter, last))));
                return AutotuneCli.OK;
            }
            List<ExperimentSummary> lines = autotune.lines(filter, TerminalText.HEADLINE_KEYS, last);
            if (lines.isEmpty()) {
                System.out.println("no experiments recorded in " + autotune.dbPath()
                        + (!filter.equals(ListFilter.ALL) ? " match the filter" : " yet")
                        + "; record one with `autotune ingest REPORT` or `autotune run SCENARIO.toml`");
            } else {
                System.out.print(TerminalText.list(lines));
            }
        }
        return AutotuneCli.OK;
    }
}
