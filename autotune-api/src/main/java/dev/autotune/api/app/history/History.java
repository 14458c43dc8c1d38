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
import dev.autotune.domain.query.JsonPage;
import dev.autotune.domain.query.ListPage;
import dev.autotune.domain.query.ListQuery;
import dev.autotune.domain.query.ListSort;
import dev.autotune.domain.query.LoggedEvent;
import dev.autotune.domain.query.Where;
import dev.autotune.projections.ExperimentList;
import dev.autotune.projections.ListEngine;
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
     * The list as asked for on the command line: the rows of {@code filter} that match {@code where} (the language
     * of {@link Where}) ordered by {@code sort} ({@code COLUMN[:asc|desc]}, any column of {@link ListColumn}) and
     * then cut to the first {@code last} of that order; without a sort the newest {@code last} in history order
     * (the rule of {@link ListQuery}, the engine's, which the API follows too), with the {@code columns} chosen
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
        dev.autotune.projections.ListEngine engine = session.views().list().query();
        ListSort order = ListQueries.sort(sort, engine);
        // per-GPU metrics are derived from each row's knobs, so the engine filters and sorts them in memory
        GpuCounts perGpu = gpus == null ? null : GpuCounts.of(gpus, engine.knobPaths());
        List<ExperimentSummary> rows = ListQueries.rows(engine, ListQuery.of(filter, where, order, newest),
                perGpu == null ? null : perGpu::apply);
        List<ListColumn> chosen = null;
        if (columns != null && !columns.isBlank()) {
            chosen = ListQueries.columns(columns, engine::knobPaths);
        } else if (wide) {
            chosen = wideColumns(rows);
        }
        return new ListTable(rows, chosen, perGpu == null ? List.of()
                : perGpu.notes(rows.stream().map(ExperimentSummary::number).collect(java.util.stream.Collectors.toSet())));
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
        return page(new ListQuery(filter, null, sort, limit, offset, null), facets);
    }

    /**
     * One page of the list as the API asks for it: {@code sort} a column name (null: newest first), {@code order}
     * asc, desc or null for the column's own, {@code after} the {@code next} cursor of the previous page. Each row
     * comes as the summary JSON the list projection stored, which the API joins into its answer.
     */
    public JsonPage page(ListFilter filter, String where, String sort, String order, int limit, int offset,
                         String after, boolean facets) {
        long at = session.catchUp();
        ListEngine engine = session.views().list().query();
        ListSort by = ListQueries.sort(sort, order, engine);
        JsonPage page = ListQueries.jsonPage(engine, new ListQuery(filter, where, by, limit, offset,
                ListQueries.after(after, by)), at);
        return facets ? page.withFacets(session.views().list().facets()) : page;
    }

    /** One page of the rows of a list query (see {@link ListQuery} for how sort, limit and cursor combine). */
    public ListPage page(ListQuery query, boolean facets) {
        session.catchUp();
        ListPage page = ListQueries.page(session.views().list().query(), query);
        return facets ? page.withFacets(session.views().list().facets()) : page;
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
