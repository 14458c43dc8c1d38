package dev.autotune.api.app.recording;

import dev.autotune.api.app.common.Problem;
import dev.autotune.domain.OneLine;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Many reports recorded with the same options, each on its own: one atomic check-and-append per report, so one
 * report refused (unreadable, a duplicate, bad input) leaves the others recorded, and nothing is half-recorded.
 * The one bulk-ingest path of the CLI ({@code autotune ingest DIR/ a.json b.csv}) and of HTTP (several
 * {@code report} parts in one upload); each adapter only gets the items to ingest and renders the outcomes.
 */
public final class BulkIngest {
    /** What became of one report. */
    public enum Status { RECORDED, DUPLICATE, REFUSED }

    /**
     * One report's outcome: {@code result} when recorded, else the {@code problem} (for a duplicate, naming the
     * experiment it repeats in {@link Problem#existing()}).
     */
    public record Outcome<T>(T item, Status status, Recording.IngestResult result, Problem problem) {
        public Outcome {
            Objects.requireNonNull(item);
            Objects.requireNonNull(status);
        }

        /** Why it was not recorded, on one line. */
        public String reason() {
            return problem == null ? null : OneLine.first(problem.message(), "unknown error");
        }
    }

    private final Recording recording;

    public BulkIngest(Recording recording) {
        this.recording = recording;
    }

    /**
     * Records every item in order. {@code input} turns an item into its ingest (what the adapter reads or keeps
     * for it: a file, an uploaded part); when it throws, the item is refused with that reason. {@code each} sees
     * every outcome as it happens (a progress line, an upload's cleanup) before the next item starts.
     */
    public <T> List<Outcome<T>> record(List<T> items, Function<T, Recording.IngestInput> input,
                                       Consumer<Outcome<T>> each) {
        List<Outcome<T>> outcomes = new ArrayList<>();
        for (T item : items) {
            Outcome<T> o;
            try {
                o = new Outcome<>(item, Status.RECORDED, recording.ingest(input.apply(item)), null);
            } catch (RuntimeException e) {
                Problem p = Problem.of(e);
                o = new Outcome<>(item, p.kind() == Problem.Kind.DUPLICATE ? Status.DUPLICATE : Status.REFUSED,
                        null, p);
            }
            outcomes.add(o);
            each.accept(o);
        }
        return outcomes;
    }
}
