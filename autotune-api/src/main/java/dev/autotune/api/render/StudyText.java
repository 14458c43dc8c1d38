package dev.autotune.api.render;

import dev.autotune.domain.study.ConfigLine;
import dev.autotune.api.app.studies.Studies.Next;
import dev.autotune.api.app.studies.Studies.Point;
import dev.autotune.api.app.studies.Studies.StudySummary;
import dev.autotune.api.app.studies.Studies;
import dev.autotune.domain.search.Importance;
import dev.autotune.domain.search.Knob;
import dev.autotune.domain.search.SearchSpace;

import java.util.List;
import java.util.stream.Collectors;

/** How studies, trials, proposals and Pareto fronts read in the terminal. */
public final class StudyText {
    private StudyText() {
    }

    public static String summaryLine(StudySummary s) {
        return "study " + s.number() + " (" + s.name() + ", scenario " + s.scenario() + "): " + s.trials()
                + " trial(s), " + (s.finishReason() == null ? "open" : "finished: " + s.finishReason() + ", "
                + s.finishMessage());
    }

    public static String list(List<StudySummary> studies) {
        if (studies.isEmpty()) {
            return "no studies yet; start one with `autotune study create SPACE.toml` or `autotune tune`\n";
        }
        TextTable t = new TextTable(List.of("id", "name", "scenario", "strategy", "trials", "status", "started"));
        for (StudySummary s : studies) {
            t.add(List.of(Integer.toString(s.number()), s.name(), s.scenario(), s.strategy(),
                    Integer.toString(s.trials()), s.finishReason() == null ? "open" : "finished:" + s.finishReason(),
                    Formats.when(s.startedAt())));
        }
        return t.render();
    }

    public static String show(Studies.StudyView v) {
        StudySummary s = v.study();
        SearchSpace space = v.space();
        StringBuilder out = new StringBuilder();
        out.append("study ").append(s.number()).append("  ").append(s.status()).append("  (").append(s.studyId())
                .append(")\n");
        field(out, "name", s.name());
        field(out, "scenario", s.scenario());
        field(out, "strategy", s.strategy() + " (seed " + s.seed() + ")");
        field(out, "objective", space.objective().toString()
                + (space.secondObjective() == null ? "" : "; Pareto front with " + space.secondObjective()));
        field(out, "budgets", space.budgets().isEmpty() ? "none" : String.join(", ", space.budgets()));
        if (!space.softSlos().isEmpty()) {
            field(out, "soft SLOs", space.softSlos().stream().map(x -> x.metric() + " " + x.bound().symbol() + " "
                    + Formats.number(x.threshold()) + " (weight " + Formats.number(x.weight()) + ")")
                    .collect(Collectors.joining(", ")));
        }
        if (!space.constraints().isEmpty()) {
            field(out, "constraints", String.join(", ", space.constraints()));
        }
        if (space.gpus() != null) {
            field(out, "gpus", space.gpus());
        }
        for (Knob k : space.knobs()) {
            field(out, "knob", k.path() + " " + values(k));
        }
        if (s.finishReason() != null) {
            field(out, "finished", s.finishReason() + ": " + s.finishMessage());
        }
        field(out, "observations", v.observations() + " measured config(s) of the scenario lie in the space ("
                + v.history() + ")");
        out.append("\ntrials\n");
        if (v.trials().isEmpty()) {
            out.append("  (none yet)\n");
        } else {
            TextTable t = new TextTable(List.of("trial", "status", "exp", "config", space.objective().metric(),
                    "verdict", "reason"));
            for (Studies.TrialView tr : v.trials()) {
                t.add(List.of(Integer.toString(tr.trial()), tr.status(),
                        tr.experiment() == null ? "-" : Integer.toString(tr.experiment()),
                        ConfigLine.of(space, tr.config()), Formats.number(tr.objective()),
                        tr.verdict() == null ? "-" : tr.verdict(),
                        (tr.repeat() ? "[repeat] " : "") + tr.strategy() + ": " + tr.reason()));
            }
            out.append(indent(t.render()));
        }
        out.append('\n').append(best(space, v.best()));
        out.append(pareto(space, v.pareto()));
        out.append(importance(v.importance()));
        if (v.next() != null) {
            out.append("\nnext: ").append(next(space, v.next())).append('\n');
        }
        return out.toString();
    }

    public static String best(SearchSpace space, Point best) {
        if (best == null) {
            return "best feasible: none yet\n";
        }
        return "best feasible: " + ConfigLine.of(space, best.config()) + "  " + space.objective().metric() + " "
                + Formats.number(best.objective()) + " (experiment " + best.experiment()
                + (best.trial() == null ? "" : ", trial " + best.trial()) + ")\n";
    }

    /** Which knobs matter, one line per metric (the objective first), in words; nothing for a one-config space. */
    public static String importance(List<Importance.Split> splits) {
        if (splits.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder("\nwhich knobs matter\n");
        for (Importance.Split s : splits) {
            out.append("  ").append(s.summary()).append('\n');
        }
        return out.toString();
    }

    public static String pareto(SearchSpace space, List<Point> front) {
        if (space.secondObjective() == null) {
            return "";
        }
        StringBuilder out = new StringBuilder("Pareto front (" + space.objective() + " vs "
                + space.secondObjective() + "):\n");
        if (front.isEmpty()) {
            out.append("  (no feasible point yet)\n");
        }
        for (Point p : front) {
            out.append("  ").append(ConfigLine.of(space, p.config())).append("  ").append(space.objective().metric())
                    .append(' ').append(Formats.number(p.objective())).append(", ")
                    .append(space.secondObjective().metric()).append(' ')
                    .append(Formats.number(p.metrics().get(space.secondObjective().metric())))
                    .append(" (experiment ").append(p.experiment()).append(")\n");
        }
        return out.toString();
    }

    public static String next(SearchSpace space, Next n) {
        if (n.stop()) {
            return "stop (" + n.stopReason().toLowerCase(java.util.Locale.ROOT) + "): " + n.reason();
        }
        // a model's reason already says what it expects, in words; --json has the numbers
        return (n.repeat() ? "repeat " : "try ") + ConfigLine.of(space, n.config()) + "\n  " + n.strategy() + ": "
                + n.reason();
    }

    private static String values(Knob k) {
        List<Object> v = k.values();
        String shown = v.size() <= 8 ? v.stream().map(Formats::value).collect(Collectors.joining(", "))
                : Formats.value(v.get(0)) + ", " + Formats.value(v.get(1)) + ", ... " + Formats.value(v.get(v.size() - 1))
                + " (" + v.size() + " values)";
        return "[" + shown + "]" + (k.log() ? " log" : "");
    }

    private static void field(StringBuilder out, String name, String value) {
        out.append(String.format("  %-13s %s%n", name, value));
    }

    private static String indent(String table) {
        return table.lines().map(l -> "  " + l).collect(Collectors.joining("\n", "", "\n"));
    }
}
