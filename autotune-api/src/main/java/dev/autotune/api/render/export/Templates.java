package dev.autotune.api.render.export;

import dev.autotune.domain.analysis.BudgetReport;
import dev.autotune.domain.analysis.Recommendation;
import dev.autotune.domain.query.ExperimentSummary;

import java.util.List;

/**
 * The texts people paste into GitHub: a tuning-status issue and a pull-request description. Both are built
 * from the same sections, so the issue and the PR of one tuning round agree.
 */
final class Templates {
    private static final String NL = Export.NL;

    private Templates() {
    }

    static String issue(List<ExperimentSummary> rows, BudgetReport budgets, List<Recommendation> recommendations) {
        Scope scope = Scope.of(rows);
        StringBuilder out = new StringBuilder();
        out.append("## Tuning status: ").append(scope.title()).append(NL).append(NL);
        out.append(scope.sentence()).append(NL).append(NL);
        out.append("### Best run").append(NL).append(NL).append(Sections.bestRun(rows, budgets)).append(NL);
        out.append("### Experiments").append(NL).append(NL);
        out.append(rows.isEmpty() ? "None recorded yet." + NL : Export.markdown(rows)).append(NL);
        if (budgets != null) {
            out.append("### Budgets").append(NL).append(NL).append(Sections.budgets(budgets)).append(NL);
        }
        out.append("### Next step").append(NL).append(NL);
        out.append(recommendations == null
                ? "No recommendation attached: run `autotune recommend` to get the next config to try." + NL
                : Sections.recommendations(recommendations));
        return out.toString();
    }

    static String pullRequest(List<ExperimentSummary> rows, BudgetReport budgets,
                              List<Recommendation> recommendations, ExperimentSummary baseline) {
        Scope scope = Scope.of(rows);
        StringBuilder out = new StringBuilder();
        out.append("## Benchmark results: ").append(scope.title()).append(NL).append(NL);
        out.append(scope.sentence()).append(NL).append(NL);
        out.append("### Best run").append(NL).append(NL).append(Sections.bestRun(rows, budgets)).append(NL);
        out.append("### Compared with baseline").append(NL).append(NL)
                .append(Sections.baselineComparison(rows, budgets, baseline)).append(NL);
        out.append("### Experiments").append(NL).append(NL);
        out.append(rows.isEmpty() ? "None recorded yet." + NL : Export.markdown(rows));
        if (budgets != null) {
            out.append(NL).append("### Budgets").append(NL).append(NL).append(Sections.budgets(budgets));
        }
        if (recommendations != null) {
            out.append(NL).append("### Recommendation").append(NL).append(NL)
                    .append(Sections.recommendations(recommendations));
        }
        return out.toString();
    }
}
