package dev.autotune.runner.report;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Locale;
import java.util.Set;

/**
 * Strict number access for JSON/YAML trees. A missing field, null, NaN or a "N/A"-style string is absent;
 * any other string, a boolean, an object or an array where a number belongs is a broken report.
 */
final class JsonNumbers {
    private static final Set<String> NOT_A_VALUE = Set.of("", "n/a", "na", "nan", "none", "null", "-");

    private JsonNumbers() {
    }

    /** The number at {@code node.field}, or null when absent. {@code path} names the field in errors. */
    static Double field(JsonNode node, String field, String path) {
        return value(node == null ? null : node.get(field), path);
    }

    /**
     * The number at {@code node.field}, or null when it is absent or not a finite number: for facts a report
     * states beside its metrics (a load setting in its config), which are worth recording when readable but no
     * reason to refuse the metrics when not.
     */
    static Double lenient(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v != null && v.isNumber() && Double.isFinite(v.asDouble()) ? v.asDouble() : null;
    }

    /** The text at {@code array[index]}, or null when absent or not text. */
    static String text(JsonNode array, int index) {
        JsonNode v = array == null ? null : array.get(index);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    /** The text at {@code node.field}, or null when absent or not text. */
    static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    static Double value(JsonNode value, String path) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        if (value.isNumber()) {
            double d = value.asDouble();
            return Double.isFinite(d) ? d : null;
        }
        if (value.isTextual() && NOT_A_VALUE.contains(value.asText().strip().toLowerCase(Locale.ROOT))) {
            return null;
        }
        throw new ReportProblem(path + " is " + describe(value) + ", expected a number");
    }

    static String describe(JsonNode value) {
        if (value.isTextual()) {
            return "a string (\"" + NumberText.abbreviate(value.asText()) + "\")";
        }
        if (value.isBoolean()) {
            return "a boolean (" + value.asText() + ")";
        }
        if (value.isObject()) {
            return "an object";
        }
        if (value.isArray()) {
            return "an array";
        }
        if (value.isNumber()) {
            return "a number (" + value.asText() + ")";
        }
        return "a " + value.getNodeType().name().toLowerCase(Locale.ROOT);
    }
}
