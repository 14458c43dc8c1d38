package dev.autotune.runner.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autotune.domain.Metric;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Any JSON or JSON-lines report that uses common metric names ({@link MetricAliases}), at the top level or
 * nested one level under {@code metrics} or {@code results}. The normalized names round-trip.
 *
 * <p>JSON lines are read one of two ways. When every line only has per-request quantities (plain latency,
 * TTFT, TPOT or ITL values; no percentiles, rates or totals), the lines are requests: mean and p50/p90/p95/p99
 * are computed ({@link Percentiles}) over lines that did not fail, and failure_rate is the share of lines whose
 * {@code error} is set or whose {@code success} is false (absent when no line has either field). Otherwise the
 * lines are successive summaries, as tools that append one result per run write them: the last one is used,
 * with a warning.
 */
final class GenericReport implements FormatReader {
    private static final List<String> NESTED = List.of("metrics", "results");

    private final boolean lines;

    private GenericReport(boolean lines) {
        this.lines = lines;
    }

    static GenericReport json() {
        return new GenericReport(false);
    }

    static GenericReport jsonLines() {
        return new GenericReport(true);
    }

    @Override
    public ReportFormat format() {
        return lines ? ReportFormat.GENERIC_JSONL : ReportFormat.GENERIC_JSON;
    }

    @Override
    public String title() {
        return lines ? "generic JSONL" : "generic JSON";
    }

    @Override
    public String expectation() {
        return (lines ? "JSON lines" : "a JSON object") + " with metric keys such as latency_ms, ttft_ms,"
                + " output_throughput, request_throughput, failure_rate or duration";
    }

    @Override
    public boolean matches(ReportContent content) {
        if (!lines) {
            return content.jsonDocument().map(GenericReport::hasMetricKey).orElse(false);
        }
        return content.jsonLines()
                .map(ls -> ls.stream().allMatch(l -> l.node().isObject())
                        && ls.stream().anyMatch(l -> hasMetricKey(l.node())))
                .orElse(false);
    }

    @Override
    public void read(ReportContent content, Readings out) {
        if (!lines) {
            readSummary(content.jsonDocument().orElseThrow(), "", out);
            return;
        }
        List<ReportContent.JsonLine> all = content.jsonLines().orElseThrow();
        List<List<Field>> perLine = new ArrayList<>();
        for (ReportContent.JsonLine line : all) {
            perLine.add(fields(line.node(), "line " + line.number() + ": "));
        }
        boolean requests = all.size() > 1
                && perLine.stream().allMatch(fs -> fs.stream().allMatch(f -> f.alias().perRequest()));
        if (requests) {
            aggregateRequests(all, perLine, out);
            return;
        }
        ReportContent.JsonLine last = all.get(all.size() - 1);
        if (all.size() > 1) {
            out.warn(all.size() + " summary lines in the file; used the last one (line " + last.number() + ")");
        }
        readSummary(last.node(), "line " + last.number() + ": ", out);
    }

    private static void readSummary(JsonNode object, String at, Readings out) {
        Map<Metric, String> source = new EnumMap<>(Metric.class);
        for (Field field : fields(object, at)) {
            Metric metric = field.alias().metric();
            if (field.value() == null) {
                continue;
            }
            double value = field.alias().apply(field.value());
            if (value != field.value() && field.alias().scale() == MetricAliases.Scale.FRACTION_OR_PERCENT) {
                // read as a percent (NumberText.fraction's rule): 1.5 could be a fraction gone wrong or 1.5%, so say
                // which was read, and refuse past 100% by the number in the file, not the one it was scaled to
                if (value > 1) {
                    throw new ReportProblem(field.path() + " is " + NumberText.plain(field.value()) + ": above 1 it is read"
                            + " as a percent, and a rate cannot pass 100%");
                }
                out.warn(field.path() + " is " + NumberText.plain(field.value()) + ", read as a percent ("
                        + NumberText.plain(value) + " of requests); write a fraction from 0 to 1 to be unambiguous");
            }
            if (out.has(metric) && out.get(metric) != value) {
                out.warn(field.path() + " and " + source.get(metric) + " both give " + metric.key()
                        + "; kept " + source.get(metric));
                continue;
            }
            source.putIfAbsent(metric, field.path());
            out.put(metric, value);
        }
        warnUnitless(object, at, out);
    }

    private static void aggregateRequests(List<ReportContent.JsonLine> all, List<List<Field>> perLine, Readings out) {
        Map<Metric, List<Double>> samples = new EnumMap<>(Metric.class);
        int failed = 0;
        boolean outcomeKnown = false;
        for (int i = 0; i < all.size(); i++) {
            JsonNode line = all.get(i).node();
            Optional<Boolean> lineFailed = failed(line);
            outcomeKnown |= lineFailed.isPresent();
            if (lineFailed.orElse(false)) {
                failed++;
                continue;
            }
            for (Field f : perLine.get(i)) {
                if (f.value() != null) {
                    samples.computeIfAbsent(f.alias().metric(), m -> new ArrayList<>()).add(f.alias().apply(f.value()));
                }
            }
        }
        samples.forEach((metric, values) -> Percentiles.summarize(values, metric, out));
        if (outcomeKnown) {
            out.putFailureRate((double) failed, (double) all.size(), "lines with an error / all lines");
        } else {
            out.warn("the request lines have no 'error' or 'success' field; failure_rate is left absent");
        }
        out.warn(all.size() + " per-request lines aggregated; throughput and runtime cannot be derived from them");
        warnUnitless(all.get(0).node(), "line " + all.get(0).number() + ": ", out);
    }

    /** Whether a request line failed: a set {@code error} or {@code success: false}; empty when it does not say. */
    private static Optional<Boolean> failed(JsonNode line) {
        JsonNode error = line.get("error");
        if (error != null) {
            boolean set = !(error.isNull() || error.isTextual() && error.asText().isEmpty()
                    || error.isBoolean() && !error.asBoolean());
            return Optional.of(set);
        }
        JsonNode success = line.get("success");
        if (success != null && success.isBoolean()) {
            return Optional.of(!success.asBoolean());
        }
        return Optional.empty();
    }

    /** A metric key found in a report, with its already type-checked value (null when the report says "none"). */
    private record Field(String path, MetricAliases.Alias alias, Double value) {
    }

    private static List<Field> fields(JsonNode object, String at) {
        List<Field> found = new ArrayList<>();
        collect(object, at, found);
        for (String nested : NESTED) {
            JsonNode inner = object.get(nested);
            if (inner != null && inner.isObject()) {
                collect(inner, at + nested + ".", found);
            }
        }
        return found;
    }

    private static void collect(JsonNode object, String prefix, List<Field> into) {
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String path = prefix + e.getKey();
            MetricAliases.resolve(e.getKey())
                    .ifPresent(alias -> into.add(new Field(path, alias, JsonNumbers.value(e.getValue(), path))));
        }
    }

    private static void warnUnitless(JsonNode object, String at, Readings out) {
        List<String> keys = new ArrayList<>();
        object.fieldNames().forEachRemaining(keys::add);
        for (String nested : NESTED) {
            if (object.path(nested).isObject()) {
                object.get(nested).fieldNames().forEachRemaining(k -> keys.add(nested + "." + k));
            }
        }
        for (String key : keys) {
            String name = key.substring(key.lastIndexOf('.') + 1);
            if (MetricAliases.isUnitlessLatency(name)) {
                out.warn(at + key + " has no unit in its name (ms or s?); ignored, name it e.g. " + name + "_ms");
            }
        }
    }

    private static boolean hasMetricKey(JsonNode node) {
        if (!node.isObject()) {
            return false;
        }
        List<JsonNode> objects = new ArrayList<>(List.of(node));
        NESTED.stream().map(node::get).filter(n -> n != null && n.isObject()).forEach(objects::add);
        for (JsonNode object : objects) {
            for (Iterator<String> keys = object.fieldNames(); keys.hasNext(); ) {
                if (MetricAliases.resolve(keys.next()).isPresent()) {
                    return true;
                }
            }
        }
        return false;
    }
}
