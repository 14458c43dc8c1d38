package dev.autotune.domain.search;

import java.util.ArrayList;
import java.util.Arrays;
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
        dropDuplicates(configs, groupOf);
        this.groups = groupOf.stream().mapToInt(Integer::intValue).toArray();
        this.groupCount = groupOf.isEmpty() ? 0 : groupOf.get(groupOf.size() - 1) + 1;
    }

    /**
     * Knobs that move together over the space's configs (batch size and concurrency in a table where they are
     * equal; tp and moe_tp; a backend that always comes with one precision) are one effect, not two: a
     * duplicate dimension would count it twice in every distance and cost a length scale. A group whose
     * columns equal an earlier group's over every config (or, for one 0/1 column, its complement) is dropped.
     */
    private void dropDuplicates(List<Map<String, Object>> configs, List<Integer> groupOf) {
        List<List<double[]>> signatures = new ArrayList<>();
        int groupsBefore = groupOf.isEmpty() ? 0 : groupOf.get(groupOf.size() - 1) + 1;
        for (int g = 0; g < groupsBefore; g++) {
            List<double[]> sig = new ArrayList<>();
            for (int d = 0; d < columns.size(); d++) {
                if (groupOf.get(d) == g) {
                    double[] v = new double[configs.size()];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = value(columns.get(d), configs.get(i));
                    }
                    sig.add(v);
                }
            }
            signatures.add(sig);
        }
        boolean[] drop = new boolean[groupsBefore];
        for (int g = 0; g < groupsBefore; g++) {
            for (int h = 0; h < g && !drop[g]; h++) {
                drop[g] = !drop[h] && same(signatures.get(g), signatures.get(h));
            }
        }
        List<Column> kept = new ArrayList<>();
        List<Integer> keptGroups = new ArrayList<>();
        int[] renumber = new int[groupsBefore];
        int next = 0;
        for (int g = 0; g < groupsBefore; g++) {
            renumber[g] = drop[g] ? -1 : next++;
        }
        for (int d = 0; d < columns.size(); d++) {
            if (!drop[groupOf.get(d)]) {
                kept.add(columns.get(d));
                keptGroups.add(renumber[groupOf.get(d)]);
            }
        }
        columns.clear();
        columns.addAll(kept);
        groupOf.clear();
        groupOf.addAll(keptGroups);
    }

    private static boolean same(List<double[]> a, List<double[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        boolean equal = true;
        for (int c = 0; c < a.size() && equal; c++) {
            equal = Arrays.equals(a.get(c), b.get(c));
        }
        if (equal || a.size() != 1) {
            return equal;
        }
        double[] x = a.get(0);
        double[] y = b.get(0);
        for (int i = 0; i < x.length; i++) {
            if (Math.abs(x[i] + y[i] - 1) > 1e-12) {
                return false;
            }
        }
        return true;
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

    /** Per dimension, whether it is a numeric knob (so a step along it has a direction). */
    boolean[] numeric() {
        boolean[] out = new boolean[columns.size()];
        for (int d = 0; d < out.length; d++) {
            out[d] = columns.get(d).kind() == Knob.Kind.NUMBER;
        }
        return out;
    }

    double[] encode(Map<String, Object> config) {
        double[] x = new double[columns.size()];
        for (int d = 0; d < x.length; d++) {
            x[d] = value(columns.get(d), config);
        }
        return x;
    }

    private static double value(Column c, Map<String, Object> config) {
        Object v = config.get(c.path());
        if (c.kind() == Knob.Kind.NUMBER) {
            double raw = ((Number) v).doubleValue();
            double t = c.log() ? Math.log(raw) : raw;
            return (t - c.min()) / (c.max() - c.min());
        }
        return c.category().equals(v) ? c.weight() : 0;
    }
}
