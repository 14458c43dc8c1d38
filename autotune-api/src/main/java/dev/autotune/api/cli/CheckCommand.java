package dev.autotune.api.cli;

import dev.autotune.api.app.Autotune;
import dev.autotune.api.render.AnalysisJson;
import dev.autotune.api.render.ExperimentJson;
import dev.autotune.api.render.TextTable;
import dev.autotune.domain.Budget;
import dev.autotune.domain.analysis.BudgetCheck;
import dev.autotune.domain.analysis.BudgetReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Hold every completed experiment against latency, TTFT, throughput and failure budgets.")
final class CheckCommand implements Callable<Integer> {
    @Mixin
    DbOption db;

    @Mixin
    BudgetOptions budgets;

    @Option(names = "--scenario", description = "only this scenario")
    String scenario;

    @Option(names = "--strict", description = "exit 1 if any experiment FAILs or is UNKNOWN")
    boolean strict;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    public Integer call() {
        BudgetReport report;
        try (Autotune autotune = new Autotune(db.path())) {
            report = autotune.check(budgets.input(), scenario);
        }
        System.out.print(json ? ExperimentJson.pretty(toJson(report)) + "\n" : render(report));
        boolean clean = report.fail() == 0 && report.unknown() == 0;
        return strict && !clean ? AutotuneCli.FAILED : AutotuneCli.OK;
    }

    static String render(BudgetReport report) {
        StringBuilder out = new StringBuilder("budgets: ")
                .append(report.budgets().stream().map(Budget::toString).collect(Collectors.joining(", "))).append('\n');
        if (report.rows().isEmpty()) {
            return out.append("no completed experiments to check yet\n").toString();
        }
        TextTable table = new TextTable(List.of("id", "scenario", "verdict", "detail"));
        for (BudgetReport.Row r : report.rows()) {
            List<String> details = new ArrayList<>();
            r.breaches().forEach(b -> details.add(BudgetCheck.describe(b)));
            r.missingMetrics().forEach(m -> details.add(m + " missing"));
            table.add(List.of(Integer.toString(r.number()), r.scenario(), r.verdict().name(), String.join("; ", details)));
        }
        out.append(table.render());
        return out.append(String.format("summary: %d PASS, %d FAIL, %d UNKNOWN of %d%n", report.pass(), report.fail(),
                report.unknown(), report.rows().size())).toString();
    }

    static Map<String, Object> toJson(BudgetReport report) {
        return AnalysisJson.check(report);
    }
}
