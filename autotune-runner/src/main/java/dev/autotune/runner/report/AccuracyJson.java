package dev.autotune.runner.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autotune.domain.Metric;

import java.util.Iterator;

/**
 * An accuracy-only JSON such as CloudAI's {@code vllm-gsm8k.json}: {@code {"accuracy": 0.875}}. A value above
 * 1 is a percentage (CloudAI's rule). A JSON with accuracy next to serving metrics is a generic report instead.
 */
final class AccuracyJson implements FormatReader {
    @Override
    public ReportFormat format() {
        return ReportFormat.ACCURACY_JSON;
    }

    @Override
    public String title() {
        return "accuracy JSON";
    }

    @Override
    public String expectation() {
        return "a JSON object with an 'accuracy' number";
    }

    @Override
    public boolean matches(ReportContent content) {
        return content.jsonDocument().filter(JsonNode::isObject).map(root -> root.has("accuracy")).orElse(false);
    }

    @Override
    public boolean claims(ReportContent content) {
        if (!matches(content)) {
            return false;
        }
        for (Iterator<String> keys = content.jsonDocument().get().fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!key.equals("accuracy") && MetricAliases.resolve(key).isPresent()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void read(ReportContent content, Readings out) {
        Double accuracy = JsonNumbers.field(content.jsonDocument().orElseThrow(), "accuracy", "accuracy");
        out.put(Metric.ACCURACY, accuracy == null ? null : NumberText.fraction(accuracy, false));
    }
}
