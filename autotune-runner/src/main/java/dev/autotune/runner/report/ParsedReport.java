package dev.autotune.runner.report;

import dev.autotune.domain.Metric;

import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A report file read into the normalized metric set, with the facts it states about the benchmark. Absent metrics
 * are absent, never 0.
 */
public record ParsedReport(Path path, String sha256, ReportFormat format, Map<Metric, Double> metrics,
                           List<String> warnings, ReportFacts facts) {
    public ParsedReport {
        metrics = metrics.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(metrics));
        warnings = List.copyOf(warnings);
        facts = facts == null ? ReportFacts.NONE : facts;
    }

    /** A report that states nothing beside its metrics. */
    public ParsedReport(Path path, String sha256, ReportFormat format, Map<Metric, Double> metrics,
                        List<String> warnings) {
        this(path, sha256, format, metrics, warnings, ReportFacts.NONE);
    }

    public Double get(Metric metric) {
        return metrics.get(metric);
    }
}
