package dev.autotune.api.cli;

import dev.autotune.api.app.budgets.Budgets;
import dev.autotune.api.app.Autotune;
import dev.autotune.api.render.AnalysisJson;
import dev.autotune.api.render.ExperimentJson;
import dev.autotune.api.render.TerminalText;
import dev.autotune.domain.analysis.BudgetReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

@Command(name = "check", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n", footer = {"  autotune check --latency-budget-ms 200 --max tpot_ms=10 --min throughput_tokens_per_sec=300", "  autotune check --budget chat-slo --scenario llama3-8b-chat --strict"},
        description = "Hold every completed experiment against latency, TTFT, throughput and failure budgets.")
final class CheckCommand implements Callable<Integer> {
    @Mixin
    Output io;

    @Mixin
    DbOption db;

    @Mixin
    BudgetOptions budgets;

    @Option(names = "--scenario", description = "only this scenario")
    String scenario;

    @Option(names = "--objective", description = "the metric the best passing run is chosen by (default: "
            + "throughput_tokens_per_sec); its direction is known; a per-GPU one needs --gpus")
    String objective;
    @Mixin
    GpusOption gpus;

    @Option(names = "--include-excluded", description = "also the experiments excluded with `autotune exclude`")
    boolean includeExcluded;

    @Option(names = "--strict", description = "exit 1 if any experiment FAILs or is UNKNOWN")
    boolean strict;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    public Integer call() {
        Budgets.Checked checked;
        try (Autotune autotune = db.existing()) {
            autotune.history().requireScenario(scenario);
            checked = autotune.budgets().check(budgets.input(), scenario, objective, includeExcluded, gpus.expression);
        }
        GpusOption.printNotes(io.err(), checked.gpuNotes());
        BudgetReport report = checked.report();
        io.out().print(json ? ExperimentJson.pretty(AnalysisJson.check(checked)) + "\n" : TerminalText.check(checked));
        boolean clean = report.fail() == 0 && report.unknown() == 0;
        return strict && !clean ? AutotuneCli.FAILED : AutotuneCli.OK;
    }
}
