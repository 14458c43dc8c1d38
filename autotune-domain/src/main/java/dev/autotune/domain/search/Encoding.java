package dev.autotune.domain.search;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Configs as points in [0, 1]^d for the model. A numeric knob is one dimension, on a log scale when declared
 * {@code log} or when its values span a factor of 8 or more from above 0 (powers of two, batch sizes, token
 * budgets: doubling matters, not adding); a two-valued category is one 0/1 dimension; a category with more values
 * is one-hot, scaled so any two values are 1 apart, its columns sharing one length scale. Knobs that take a single
 * value among the space's configs carry no information and get no dimension.
 */
final class Encoding {
    private final List<Column> columns = new ArrayList<>();
    private final int[] groups;
    private final int groupCount;

    private record Column(String path, Knob.Kind kind, boolean log, double min, double max, Object category,
                          double weight) {
    }

    private Encoding(SearchSpace space, List<Map<String, Object>> configs) {
        List<Integer> groupOf = new ArrayList<>();
        int group = 0;
        for (Knob k : space.knobs()) {
            Set<Object> present = new LinkedHashSet<>();
            for (Map<String, Object> c : configs) {
                present.add(c.get(k.path()));
            }
            if (present.size() < 2) {
                continue;
            }
            if (k.kind() == Knob.Kind.NUMBER) {
                double min = Double.POSITIVE_INFINITY;
                double max = Double.NEGATIVE_INFINITY;
                for (Object v : present) {
                    min = Math.min(min, ((Number) v).doubleValue());
                    max = Math.max(max, ((Number) v).doubleValue());
                }
                boolean log = min > 0 && (k.log() || max / min >= 8);
                columns.add(new Column(k.path(), k.kind(), log, log ? Math.log(min) : min, log ? Math.log(max) : max,
                        null, 1));
                groupOf.add(group++);
            } else if (present.size() == 2) {
                columns.add(new Column(k.path(), k.kind(), false, 0, 1, present.iterator().next(), 1));
                groupOf.add(group++);
            } else {
                for (Object v : k.values()) {
                    if (present.contains(v)) {
                        columns.add(new Column(k.path(), k.kind(), false, 0, 1, v, Math.sqrt(0.5)));
                        groupOf.add(group);
                    }
                }
                group++;
            }
        }
        this.groups = groupOf.stream().mapToInt(Integer::intValue).toArray();
        this.groupCount = group;
    }

    static Encoding of(SearchSpace space, List<Map<String, Object>> configs) {
        return new Encoding(space, configs);
    }

    int dimensions() {
        return columns.size();
    }

    int[] groups() {
        return groups;
    }

    int groupCount() {
        return groupCount;
    }

    double[] encode(Map<String, Object> config) {
        double[] x = new double[columns.size()];
        for (int d = 0; d < x.length; d++) {
            Column c = columns.get(d);
            Object v = config.get(c.path());
            if (c.kind() == Knob.Kind.NUMBER) {
                double raw = ((Number) v).doubleValue();
                double t = c.log() ? Math.log(raw) : raw;
                x[d] = (t - c.min()) / (c.max() - c.min());
            } else {
                x[d] = c.category().equals(v) ? c.weight() : 0;
            }
        }
        return x;
    }
}
