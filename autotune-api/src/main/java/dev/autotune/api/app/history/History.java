package dev.autotune.api.app.history;

import dev.autotune.api.app.common.GpuCounts;
import dev.autotune.api.app.common.Inputs;
import dev.autotune.api.app.common.NotFound;
import dev.autotune.api.app.common.UserError;
import dev.autotune.api.app.session.StoreSession;
import dev.autotune.domain.Metric;
import dev.autotune.domain.analysis.KnobValues;
import dev.autotune.domain.query.ExperimentDetail;
import dev.autotune.domain.query.ExperimentSummary;
import dev.autotune.domain.query.ListColumn;
import dev.autotune.domain.query.ListFilter;
import dev.autotune.domain.query.ListPage;
import dev.autotune.domain.query.ListSort;
import dev.autotune.domain.query.LoggedEvent;
import dev.autotune.domain.query.Where;
import dev.autotune.projections.ExperimentList;
import dev.autotune.store.AxonStore;
import dev.autotune.store.EventLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * History queries: the list (filtered, as lines, as a table, a page), one experiment, a reference to an experiment,
 * the events after a position and how far the read models have read. Each catches up once, then reads.
 */
public final class History {
    private final StoreSession session;

    public History(StoreSession session) {
        this.session = session;
    }

    /**
     * The list filter from the user's words; a status that is not one is a {@link UserError} on {@code status}.
     */
    public ListFilter filter(String scenario, String status, String backend) {
        return filter(scenario, status, backend, false);
    }

    /** The list filter; excluded experiments are in it only with {@code includeExcluded}. */
    public ListFilter filter(String scenario, String status, String backend, boolean includeExcluded) {
        return new ListFilter(Inputs.blankToNull(scenario), Inputs.status(status), Inputs.blankToNull(backend), includeExcluded);
    }

    /** The matching experiments, oldest first; with {@code last} only the newest {@code last} of them. */
    public List<ExperimentSummary> list(ListFilter filter, Integer last) {
        int newest = newest(last);
        session.catchUp();
        return session.views().list().list(filter, newest);
    }

    /**
     * The list trimmed to a terminal table's columns, with these metrics; see {@code ExperimentList#lines}.
     * With {@code last} only the newest {@code last}.
     */
    public List<ExperimentSummary> lines(ListFilter filter, List<String> metrics, Integer last) {
        int newest = newest(last);
        session.catchUp();
        return session.views().list().lines(filter, metrics, newest);
    }

    /**
     * The list as asked for on the command line or over HTTP: the rows of {@code filter} that match {@code where}
     * (the language of {@link Where}), the newest {@code last} of them, ordered by {@code sort}
     * ({@code COLUMN[:asc|desc]}, any column of {@link ListColumn}), with the {@code columns} chosen
     * (comma-separated names; null for the table's default, {@code wide} for every varying knob, metric and tag).
     *
     * @param columns null when the caller shows its default columns
     */
    public record ListTable(List<ExperimentSummary> rows, List<ListColumn> columns, List<String> gpuNotes) {
        public ListTable(List<ExperimentSummary> rows, List<ListColumn> columns) {
            this(rows, columns, List.of());
        }
    }

    public ListTable table(ListFilter filter, String where, String sort, String columns, boolean wide, Integer last) {
        return table(filter, where, sort, columns, wide, last, null);
    }

    /**
     * The list, each row with the per-GPU metrics of {@code gpus} (an expression over knobs; null for none), so
     * columns, {@code where} and {@code sort} can name them like any metric.
     */
    public ListTable table(ListFilter filter, String where, String sort, String columns, boolean wide, Integer last,
                           String gpus) {
        GpuCounts.require(gpus, where, sort, columns);
        int newest = newest(last);
        session.catchUp();
        List<ExperimentSummary> rows = session.views().list().list(filter, 0);
        java.util.Set<String> knobPaths = new java.util.TreeSet<>();
        rows.forEach(r -> knobPaths.addAll(r.knobs().keySet()));
        GpuCounts perGpu = GpuCounts.of(gpus, knobPaths);
        if (perGpu != null) {
            rows = rows.stream().map(perGpu::apply).toList();
        }
        if (where != null && !where.isBlank()) {
            Where w = where(where, knobPaths);
            try {
                rows = rows.stream().filter(w::test).toList();
            } catch (Where.Invalid e) {
                throw new UserError("where", e.getMessage(), e);
            }
        }
        if (newest > 0 && rows.size() > newest) {
            rows = rows.subList(rows.size() - newest, rows.size());
        }
        if (sort != null && !sort.isBlank()) {
            rows = rows.stream().sorted(order(sort, knobPaths)).toList();
        }
        List<ListColumn> chosen = null;
        if (columns != null && !columns.isBlank()) {
            chosen = new ArrayList<>();
            for (String name : ListColumn.names(columns)) {
                chosen.add(column("columns", name, knobPaths));
            }
        } else if (wide) {
            chosen = wideColumns(rows);
        }
        return new ListTable(rows, chosen, perGpu == null ? List.of()
                : perGpu.notes(rows.stream().map(ExperimentSummary::number).collect(java.util.stream.Collectors.toSet())));
    }

    /** Parses a list filter; a filter that cannot be read is bad input on {@code where}, naming the position. */
    public static Where where(String text, java.util.Collection<String> knobPaths) {
        try {
            return Where.parse(text, knobPaths);
        } catch (Where.Invalid e) {
            throw new UserError("where", e.getMessage(), e);
        }
    }

    private static java.util.Comparator<ExperimentSummary> order(String sort, java.util.Collection<String> knobPaths) {
        String spec = sort.trim();
        boolean descending = false;
        int colon = spec.lastIndexOf(':');
        if (colon > 0) {
            String dir = spec.substring(colon + 1).trim().toLowerCase(java.util.Locale.ROOT);
            if (!dir.equals("asc") && !dir.equals("desc")) {
                throw new UserError("sort", "'" + sort + "': the order after ':' must be asc or desc");
            }
            descending = dir.equals("desc");
            spec = spec.substring(0, colon);
        }
        return column("sort", spec, knobPaths).order(descending);
    }

    private static ListColumn column(String field, String name, java.util.Collection<String> knobPaths) {
        try {
            return ListColumn.resolve(name, knobPaths);
        } catch (IllegalArgumentException e) {
            throw new UserError(field, e.getMessage(), e);
        }
    }

    /** Every field, every knob that varies (full paths), every metric and tag any row has. */
    private static List<ListColumn> wideColumns(List<ExperimentSummary> rows) {
        List<ListColumn> out = new ArrayList<>();
        for (String f : List.of("id", "status", "scenario", "backend")) {
            out.add(ListColumn.field(f));
        }
        java.util.Set<Map<String, Object>> knobs = new java.util.HashSet<>();
        rows.forEach(r -> knobs.add(r.knobs()));
        dev.autotune.domain.analysis.KnobValues.varying(knobs).forEach(k -> out.add(ListColumn.knob(k)));
        java.util.Set<String> metrics = new java.util.HashSet<>();
        java.util.Set<String> tags = new java.util.TreeSet<>();
        rows.forEach(r -> {
            metrics.addAll(r.metrics().keySet());
            tags.addAll(r.tags().keySet());
        });
        for (Metric m : Metric.values()) {
            if (metrics.contains(m.key())) {
                out.add(ListColumn.metric(m.key()));
            }
        }
        tags.forEach(t -> out.add(ListColumn.tag(t)));
        out.add(ListColumn.field("happened")); // headed "when", as in the default table
        out.add(ListColumn.field("recorded"));
        return out;
    }

    /** Checks {@code --last} before anything is opened: 0 when not given, else a positive count. */
    public static int newest(Integer last) {
        if (last != null && last < 1) {
            throw new UserError("last", "expected a positive number of experiments, got " + last);
        }
        return last == null ? 0 : last;
    }

    public ExperimentDetail show(String idOrNumber) {
        session.catchUp();
        return find(idOrNumber);
    }

    /** One experiment in full, without catching up first: for a service that caught up already in this use case. */
    public ExperimentDetail find(String idOrNumber) {
        return session.views().detail().find(experiment(idOrNumber).experimentId()).orElseThrow();
    }

    /**
     * The experiment a reference means: its short number, its full id, or a prefix of the id that only one
     * experiment's id starts with. Every command that takes an experiment reads it through here.
     */
    public ExperimentSummary experiment(String ref) {
        String key = ref == null ? "" : ref.trim();
        if (key.isEmpty()) {
            throw new UserError("experiment", "name an experiment by its number (as in `list`) or its id");
        }
        List<ExperimentSummary> matches = session.views().list().resolve(key, 6);
        if (matches.isEmpty()) {
            throw new NotFound("no experiment " + key + " in " + session.database());
        }
        if (matches.size() > 1) {
            throw new UserError("experiment", "'" + key + "' is the start of several experiment ids: "
                    + String.join(", ", matches.stream().limit(5).map(m -> m.number() + " (" + m.experimentId() + ")")
                    .toList()) + (matches.size() > 5 ? ", ..." : "") + "; give more of the id or the number");
        }
        return matches.get(0);
    }

    /**
     * Refuses a scenario nothing was recorded under, naming those that were: a typo would otherwise look like
     * an empty history.
     */
    public void requireScenario(String scenario) {
        String name = Inputs.blankToNull(scenario);
        if (name == null) {
            return;
        }
        session.catchUp();
        List<String> known = session.views().list().facets().get("scenario");
        if (!known.contains(name)) {
            throw new UserError("scenario", "no experiments of scenario '" + name + "' in " + session.database()
                    + (known.isEmpty() ? " (nothing is recorded yet)" : "; scenarios: " + String.join(", ", known)));
        }
    }

    /**
     * One page of the list, sorted and cut by the database, with the scenarios, backends and statuses recorded
     * so far when {@code facets} is asked for.
     */
    public ListPage page(ListFilter filter, ListSort sort, int limit, int offset, boolean facets) {
        session.catchUp();
        ListPage page = session.views().list().page(filter, sort, limit, offset);
        return facets ? new ListPage(page.rows(), page.total(), session.views().list().facets()) : page;
    }

    /**
     * One page of the rows that match {@code where} (the list filter language): filtered, sorted and cut here
     * rather than in SQL, since the filter reads knobs, metrics and tags of every row. Without a filter it is the
     * SQL page above.
     */
    public ListPage page(ListFilter filter, String where, ListSort sort, int limit, int offset, boolean facets) {
        if (where == null || where.isBlank()) {
            return page(filter, sort, limit, offset, facets);
        }
        List<ExperimentSummary> rows = table(filter, where, null, null, false, null).rows();
        java.util.Comparator<ExperimentSummary> order = column("sort", sort.key(), List.of()).order(sort.descending());
        List<Integer> numbers = rows.stream().sorted(order).skip(offset).limit(limit).map(ExperimentSummary::number)
                .toList();
        ListPage page = new ListPage(session.views().list().stored(numbers), rows.size());
        return facets ? new ListPage(page.rows(), page.total(), session.views().list().facets()) : page;
    }

    /**
     * Events after {@code index} that the read models already include, oldest first, at most {@code limit}, each
     * with its experiment's number, so a live feed can say "experiment 7 completed" once the list shows it.
     */
    public List<LoggedEvent> eventsAfter(long index, int limit) {
        if (session.isLive()) {
            // the feed polls this: it is what brings other processes' events into the read models between queries
            session.catchUp();
        }
        List<EventLog.Entry> entries = new EventLog(session.db()).after(index, session.db().projectionPosition(), limit);
        Map<String, Integer> numbers = session.views().numbers().of(entries.stream().map(EventLog.Entry::aggregateId).toList());
        return entries.stream().map(e -> new LoggedEvent(e.index(), e.type(), e.aggregateId(),
                numbers.get(e.aggregateId()), e.at())).toList();
    }

    /**
     * How far the read models have read the event log. On PostgreSQL writers project their own events without
     * moving the settled position (see {@code AxonStore.advance}); it is settled here first, as every query does.
     */
    public long projectedPosition() {
        if (session.db().isPostgres()) {
            session.catchUp();
        }
        return session.db().projectionPosition();
    }
}
