package dev.autotune.runner.report;

import dev.autotune.domain.Metric;

import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** A report file read into the normalized metric set. Absent metrics are absent, never 0. */
public record ParsedReport(Path path, String sha256, ReportFormat format, Map<Metric, Double> metrics,
                           List<String> warnings) {
    public ParsedReport {
        metrics = metrics.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(metrics));
        warnings = List.copyOf(warnings);
    }

    public Double get(Metric metric) {
        return metrics.get(metric);
    }
}
