package dev.autotune.api.cli;

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
        description = "Hold every completed experiment against latency, TTFT, throughput and failure budgets.")
final class CheckCommand implements Callable<Integer> {
    @Mixin
    DbOption db;

    @Mixin
    BudgetOptions budgets;

    @Option(names = "--scenario", description = "only this scenario")
    String scenario;

    @Option(names = "--include-excluded", description = "also the experiments excluded with `autotune exclude`")
    boolean includeExcluded;

    @Option(names = "--strict", description = "exit 1 if any experiment FAILs or is UNKNOWN")
    boolean strict;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    public Integer call() {
        BudgetReport report;
        try (Autotune autotune = Autotune.existing(db.path())) {
            autotune.requireScenario(scenario);
            report = autotune.check(budgets.input(), scenario, includeExcluded);
        }
        System.out.print(json ? ExperimentJson.pretty(AnalysisJson.check(report)) + "\n" : TerminalText.check(report));
        boolean clean = report.fail() == 0 && report.unknown() == 0;
        return strict && !clean ? AutotuneCli.FAILED : AutotuneCli.OK;
    }
}
