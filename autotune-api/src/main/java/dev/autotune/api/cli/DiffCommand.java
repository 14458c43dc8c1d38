package dev.autotune.api.cli;

import dev.autotune.api.app.Autotune;
import dev.autotune.api.render.AnalysisJson;
import dev.autotune.api.render.ExperimentJson;
import dev.autotune.api.render.Formats;
import dev.autotune.api.render.TextTable;
import dev.autotune.domain.analysis.ExperimentDiff;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "diff", mixinStandardHelpOptions = true,
        description = "Compare two experiments: config keys that differ and every metric side by side.")
final class DiffCommand implements Callable<Integer> {
    @Mixin
    DbOption db;

    @Parameters(index = "0", paramLabel = "A", description = "experiment number or id")
    String a;

    @Parameters(index = "1", paramLabel = "B", description = "experiment number or id")
    String b;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    public Integer call() {
        ExperimentDiff diff;
        try (Autotune autotune = new Autotune(db.path())) {
            diff = autotune.diff(a, b);
        }
        System.out.print(json ? ExperimentJson.pretty(toJson(diff)) + "\n" : render(diff));
        return AutotuneCli.OK;
    }

    static String render(ExperimentDiff d) {
        StringBuilder out = new StringBuilder("experiment " + d.a() + " -> " + d.b() + "\n\nconfig\n");
        if (d.config().isEmpty()) {
            out.append("  (identical)\n");
        }
        for (var c : d.config()) {
            String sign = switch (c.kind()) {
                case ADDED -> "+ " + c.key() + " = " + Formats.value(c.after());
                case REMOVED -> "- " + c.key() + " = " + Formats.value(c.before());
                case CHANGED -> "~ " + c.key() + ": " + Formats.value(c.before()) + " -> " + Formats.value(c.after());
            };
            out.append("  ").append(sign).append('\n');
        }
        out.append("\nmetrics\n");
        TextTable table = new TextTable(List.of("metric", "A (" + d.a() + ")", "B (" + d.b() + ")", "change", "change %", "better"));
        for (var m : d.metrics()) {
            table.add(List.of(m.metric().key(), Formats.number(m.a()), Formats.number(m.b()),
                    m.absolute() == null ? "-" : signed(m.absolute()),
                    m.relativePercent() == null ? "-" : signed(m.relativePercent()) + "%",
                    m.better() == null ? "-" : m.better().name().toLowerCase(Locale.ROOT)));
        }
        return out.append(table.render()).toString();
    }

    private static String signed(double v) {
        String n = Formats.number(v);
        return v > 0 ? "+" + n : n;
    }

    static Map<String, Object> toJson(ExperimentDiff d) {
        return AnalysisJson.diff(d);
    }
}
