package dev.autotune.runner.report;

import java.util.AbstractCollection;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Per-request values kept as primitive doubles: a long run's per-request JSONL has millions of inter-token
 * latencies, and a boxed Double costs three times the 8 bytes of the value. Exact percentiles need them all.
 */
final class Samples extends AbstractCollection<Double> {
    private double[] values = new double[64];
    private int size;

    @Override
    public boolean add(Double value) {
        add(value.doubleValue());
        return true;
    }

    void add(double value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = value;
    }

    /** The values in ascending order, in a new array. */
    double[] sorted() {
        double[] copy = Arrays.copyOf(values, size);
        Arrays.sort(copy);
        return copy;
    }

    @Override
    public Iterator<Double> iterator() {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < size;
            }

            @Override
            public Double next() {
                if (next >= size) {
                    throw new NoSuchElementException();
                }
                return values[next++];
            }
        };
    }

    @Override
    public int size() {
        return size;
    }
}
