package dev.autotune.domain.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One of {@link ModelStrategy}'s GPs (the score's, a budget's, the failure model's or the derived product's): fitted
 * on the measured rows (at most {@link ModelStrategy#MAX_TRAIN}, its hyperparameters chosen on at most
 * {@link ModelStrategy#MAX_FIT}), then conditioned on the configs in flight at its own prediction (kriging believer).
 */
final class FittedModel {
    /** One observation row of a model: the config's index and the modelled value. */
    record Row(int config, double y) {
    }

    final GaussianProcess gp;
    /** Of its t predictive for the stop ({@link StopPolicy#degreesOfFreedom}): its measured rows, its plane. */
    final int dof;

    FittedModel(List<Row> rows, double[][] points, Encoding encoding, Comparator<Row> priority, boolean[] pending) {
        this(rows, points, encoding, priority, pending, ModelStrategy.RIDGE);
    }

    FittedModel(List<Row> rows, double[][] points, Encoding encoding, Comparator<Row> priority, boolean[] pending,
                double ridge) {
        List<Row> train = rows;
        if (rows.size() > ModelStrategy.MAX_TRAIN) {
            train = keep(rows, priority, ModelStrategy.MAX_TRAIN);
        }
        List<Row> forFit = train.size() > ModelStrategy.MAX_FIT ? keep(train, priority, ModelStrategy.MAX_FIT) : train;
        GaussianProcess.Hyper hyper = HyperSelection.select(x(forFit, points), y(forFit), encoding.groups(),
                encoding.groupCount(), ridge);
        double[][] tx = x(train, points);
        double[] ty = y(train);
        GaussianProcess real = GaussianProcess.fit(tx, ty, hyper, GaussianProcess.prior(tx, ty, ridge));
        this.dof = StopPolicy.degreesOfFreedom(ty.length, real.prior().slope().length + 1);
        List<Row> believed = new ArrayList<>(train);
        List<Integer> inFlight = new ArrayList<>();
        for (int i = 0; i < pending.length; i++) {
            if (pending[i]) {
                inFlight.add(i);
            }
        }
        if (!inFlight.isEmpty()) {
            double[][] px = new double[inFlight.size()][];
            for (int k = 0; k < px.length; k++) {
                px[k] = points[inFlight.get(k)];
            }
            double[] mean = new double[px.length];
            double[] var = new double[px.length];
            real.predict(px, mean, var);
            for (int k = 0; k < px.length; k++) {
                believed.add(new Row(inFlight.get(k), mean[k]));
            }
            real = GaussianProcess.fit(x(believed, points), y(believed), hyper, real.prior());
        }
        this.gp = real;
    }

    /** The half with the highest priority, then the most recent of the rest. */
    private static List<Row> keep(List<Row> rows, Comparator<Row> priority, int size) {
        // by position, so two equal rows (a repeat that measured the same) are kept or left independently
        List<Integer> byPriority = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            byPriority.add(i);
        }
        byPriority.sort((a, b) -> priority.compare(rows.get(a), rows.get(b)));
        boolean[] taken = new boolean[rows.size()];
        byPriority.subList(0, size / 2).forEach(i -> taken[i] = true);
        int recent = size - size / 2;
        for (int i = rows.size() - 1; i >= 0 && recent > 0; i--) {
            if (!taken[i]) {
                taken[i] = true;
                recent--;
            }
        }
        List<Row> out = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            if (taken[i]) {
                out.add(rows.get(i));
            }
        }
        return out;
    }

    static double[][] x(List<Row> rows, double[][] points) {
        double[][] x = new double[rows.size()][];
        for (int i = 0; i < x.length; i++) {
            x[i] = points[rows.get(i).config()];
        }
        return x;
    }

    static double[] y(List<Row> rows) {
        return rows.stream().mapToDouble(Row::y).toArray();
    }
}
