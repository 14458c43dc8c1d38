package dev.autotune.projections;

import dev.autotune.domain.query.ExperimentSummary;
import dev.autotune.domain.query.JsonPage;
import dev.autotune.domain.query.ListCursor;
import dev.autotune.domain.query.ListPage;
import dev.autotune.domain.query.ListQuery;
import dev.autotune.domain.query.ListSort;
import dev.autotune.domain.query.StoredSummary;
import dev.autotune.domain.query.Where;
import dev.autotune.store.Database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The one engine behind {@code autotune list} and {@code GET /api/experiments}: a {@link ListQuery} answered in SQL
 * when the database can (no {@code where}, a sort on a field or a metric: sorted, cut and continued after a cursor
 * along an index), else in memory over the filter's rows with the very same order ({@link ListSort#order}) and the
 * same cut ({@link ListQuery#cut}). Either way the answer is the same rows in the same order.
 */
public final class ListEngine {
    /** The column of each list field ({@code ListColumn.FIELDS}) that the database sorts by. */
    private static final Map<String, String> FIELD_COLUMNS = Map.of("id", "l.number", "status", "l.status",
            "scenario", "l.scenario", "backend", "l.backend", "source", "l.source", "recorded", "l.started_at",
            "ended", "l.ended_at", "measured", "l.measured_at", "happened", "l.happened_at");

    private final Database db;
    private final ExperimentList list;
    private final Totals totals = new Totals();

    ListEngine(Database db, ExperimentList list) {
        this.db = db;
        this.list = list;
    }

    /**
     * The rows as records with their JSON parsed, for the terminal table and {@code list --json}.
     *
     * @throws Where.Invalid when {@code where} cannot be read
     */
    public List<ExperimentSummary> rows(ListQuery q) {
        return rows(q, null);
    }

    /**
     * The rows with values derived from each row first ({@code derive}, e.g. per-GPU metrics from a GPU count over
     * its knobs), which the filter and the sort then read like stored ones: answered in memory, since the database
     * has no such values.
     */
    public List<ExperimentSummary> rows(ListQuery q, java.util.function.UnaryOperator<ExperimentSummary> derive) {
        if (derive != null) {
            return inMemory(q, derive).page();
        }
        if (q.where() == null && q.sort() == null) {
            return list.list(q.filter(), q.limit());
        }
        // a short sorted page comes from the indexes; the whole history sorted is as cheap read once and sorted here
        // (and the page's rows are fetched by number, a statement parameter each)
        if (q.answeredInSql() && q.limit() > 0 && q.limit() <= 1000) {
            return page(q).rows().stream().map(ExperimentList::summary).toList();
        }
        return inMemory(q, null).page();
    }

    /**
     * One page as stored (the API writes the JSON columns through), the number of rows that match in all, and the
     * cursor of the next page. A query without a sort is taken newest first, as the API lists by default.
     *
     * @throws Where.Invalid when {@code where} cannot be read
     */
    public ListPage page(ListQuery q) {
        Cut<StoredSummary> cut = cut(q, (c, numbers, joined) -> ExperimentList.rows(c, numbers), false, -1);
        return new ListPage(cut.rows(), cut.total(), null, cut.next(), cut.sort());
    }

    /**
     * {@link #page} with each row as the summary JSON the list projection stored for it ({@link SummaryJson}): what
     * the API sends, without reading the row's columns. A row with no stored JSON (recorded before V13 and not
     * written since) is rendered from its columns, the same bytes.
     *
     * @param at the position in the event log the read models stand at, as the caller's catch-up returned it: the
     *           number of rows that match a filter, counted once at a position, is reused until it moves
     * @throws Where.Invalid when {@code where} cannot be read
     */
    public JsonPage jsonPage(ListQuery q, long at) {
        Cut<byte[]> cut = cut(q, ListEngine::json, true, at);
        return new JsonPage(cut.rows(), cut.total(), null, cut.next(), cut.sort());
    }

    /**
     * Reads the rows of a page, given their numbers in page order and, when the seek read them along, the stored
     * JSON of those that have it ({@code joined}, null when the seek did not join it).
     */
    @FunctionalInterface
    private interface RowReader<T> {
        List<T> read(Connection c, List<Integer> numbers, Map<Integer, byte[]> joined) throws SQLException;
    }

    private record Cut<T>(List<T> rows, int total, String next, ListSort sort) {
    }

    /** {@code at} below 0: the position is not known, every page counts its rows. */
    private <T> Cut<T> cut(ListQuery q, RowReader<T> reader, boolean joinJson, long at) {
        ListQuery query = q.sort() != null ? q
                : new ListQuery(q.filter(), q.where(), ListSort.NEWEST_FIRST, q.limit(), q.offset(), q.after());
        if (query.answeredInSql()) {
            return sqlPage(query, reader, joinJson, at);
        }
        InMemory found = inMemory(query, null);
        List<Integer> numbers = found.page().stream().map(ExperimentSummary::number).toList();
        return new Cut<>(db.read(c -> reader.read(c, numbers, null)), found.total(),
                found.more() ? next(query.sort(), numbers) : null, query.sort());
    }

    /**
     * The stored summary JSON of these rows in the given order; rendered from the list row where none is stored.
     * {@code joined}: what the page's seek already read from the stored JSON (a row absent from it has none stored);
     * null: read it here.
     */
    static List<byte[]> json(Connection c, List<Integer> numbers, Map<Integer, byte[]> joined) throws SQLException {
        if (numbers.isEmpty()) {
            return List.of();
        }
        Map<Integer, byte[]> byNumber = joined != null ? new java.util.HashMap<>(joined) : jsonByNumber(c, numbers);
        List<Integer> missing = numbers.stream().filter(n -> !byNumber.containsKey(n)).toList();
        for (StoredSummary row : ExperimentList.rows(c, missing)) {
            byNumber.put(row.number(), SummaryJson.bytes(row));
        }
        return numbers.stream().map(byNumber::get).filter(java.util.Objects::nonNull).toList();
    }

    private static Map<Integer, byte[]> jsonByNumber(Connection c, List<Integer> numbers) throws SQLException {
        Map<Integer, byte[]> byNumber = new java.util.HashMap<>();
        String marks = String.join(", ", java.util.Collections.nCopies(numbers.size(), "?"));
        try (PreparedStatement st = c.prepareStatement("SELECT number, summary_json FROM experiment_list_page "
                + "WHERE number IN (" + marks + ")")) {
            Rows.bind(st, numbers.toArray());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    // the text's bytes as stored (UTF-8 in both stores): no decoding into a String and back
                    byNumber.put(rs.getInt(1), rs.getBytes(2));
                }
            }
        }
        return byNumber;
    }

    /** The knob paths of every experiment recorded, which knob names in a sort resolve against. */
    public Set<String> knobPaths() {
        // each distinct knob set once: a history is repeats and sweeps of a few configs
        return db.read(c -> {
            Set<String> out = new TreeSet<>();
            try (PreparedStatement st = c.prepareStatement("SELECT DISTINCT knobs_json FROM experiment_list");
                 ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.addAll(dev.autotune.store.Json.objectMap(rs.getString(1)).keySet());
                }
            }
            return out;
        });
    }

    private record InMemory(List<ExperimentSummary> page, int total, boolean more) {
    }

    /** Filters, orders and cuts the filter's rows here: what a {@code where}, a knob or a tag sort needs. */
    private InMemory inMemory(ListQuery q, java.util.function.UnaryOperator<ExperimentSummary> derive) {
        List<ExperimentSummary> rows = list.list(q.filter(), 0);
        if (derive != null) {
            rows = rows.stream().map(derive).toList();
        }
        if (q.where() != null) {
            Set<String> knobPaths = new TreeSet<>();
            rows.forEach(r -> knobPaths.addAll(r.knobs().keySet()));
            Where where = Where.parse(q.where(), knobPaths);
            rows = rows.stream().filter(where::test).toList();
        }
        int total = rows.size();
        if (q.sort() == null) {
            return new InMemory(q.cut(rows), total, false);
        }
        Comparator<ExperimentSummary> order = q.sort().order();
        List<ExperimentSummary> sorted = rows.stream().sorted(order).toList();
        if (q.after() != null) {
            // after the cursor's row where it stands now, even when it no longer matches the filter
            ExperimentSummary at = list.find(String.valueOf(q.after().number())).map(r -> derive == null ? r
                    : derive.apply(r)).orElse(null);
            sorted = at == null ? List.of() : sorted.stream().filter(r -> order.compare(r, at) > 0).toList();
        }
        List<ExperimentSummary> page = q.cut(sorted);
        boolean more = q.limit() > 0 && q.offset() + page.size() < sorted.size();
        return new InMemory(page, total, more);
    }

    private static String next(ListSort sort, List<Integer> numbers) {
        return numbers.isEmpty() ? null
                : new ListCursor(sort.key(), sort.descending(), numbers.get(numbers.size() - 1)).encode();
    }

    /**
     * One part of a sorted list in SQL: the numbers of the rows that have the sort value ({@code valued}, ordered by
     * {@code value, number}) or of those that lack it (by number), each along an index that ends in the number.
     */
    private record Part(String tables, String where, String value, List<Object> params, String cursorValue,
                        List<Object> cursorValueParams) {
        Part(String tables, String where, String value, List<Object> params) {
            this(tables, where, value, params, null, List.of());
        }

        /**
         * {@code json}: each number with its stored summary JSON, read in the same walk (one statement a page, not a
         * second one looking the page's rows up by number); a left join, so a row with none stored still comes.
         */
        String select(String dir, boolean afterCursor, boolean json) {
            String order = value == null ? " ORDER BY l.number" + dir : " ORDER BY " + value + dir + ", " + number() + dir;
            return "SELECT " + number() + (json ? ", p.summary_json " : " ") + tables
                    + (json ? " LEFT JOIN experiment_list_page p ON p.number = " + number() : "") + where
                    + (afterCursor ? keyset(dir) : "") + order + " LIMIT ? OFFSET ?";
        }

        String count(String dir, boolean afterCursor) {
            return "SELECT count(*) " + tables + where + (afterCursor ? keyset(dir) : "");
        }

        private String number() {
            return tables.startsWith("FROM experiment_list_metric") ? "s.number" : "l.number";
        }

        /**
         * After the cursor row: a row-value comparison, which SQLite and PostgreSQL both answer with an index seek.
         * The cursor row's value is looked up where it stands now (a correction may have moved it) by a scalar
         * subquery in the same statement; a cursor row without the value makes the comparison null, so no row.
         */
        private String keyset(String dir) {
            String cmp = dir.equals(" DESC") ? " < " : " > ";
            return !seeksValue() ? " AND " + number() + cmp + "?"
                    : " AND (" + value + ", " + number() + ")" + cmp + "((" + cursorValue + "), ?)";
        }

        private boolean seeksValue() {
            return value != null && !value.equals("l.number");
        }

        List<Object> params(Integer cursorNumber) {
            List<Object> all = new ArrayList<>(params);
            if (cursorNumber != null) {
                if (seeksValue()) {
                    all.add(cursorNumber);
                    all.addAll(cursorValueParams);
                }
                all.add(cursorNumber);
            }
            return all;
        }
    }

    /**
     * A page sorted and cut in SQL, so a request costs about the same with 10 or 100,000 experiments. Rows without
     * the sort value (a metric the report did not give, a run not ended) come after the rest in either order, by
     * number. Only experiment numbers are selected along an index (with {@code joinJson}, each with its stored JSON,
     * in the same statement); only the page's rows are read in full. After a cursor the page starts with a seek to
     * the cursor row's (value, number), not by counting rows: one statement for a page that does not reach the end
     * of the rows with the value.
     */
    private <T> Cut<T> sqlPage(ListQuery q, RowReader<T> reader, boolean joinJson, long at) {
        ListSort sort = q.sort();
        String dir = sort.descending() ? " DESC" : " ASC";
        List<Object> filterParams = new ArrayList<>();
        String where = ExperimentList.where(q.filter(), filterParams);
        Part valued;
        Part unvalued;
        String cursorValueSql;
        List<Object> cursorValueParams = new ArrayList<>();
        if (sort.column().kind() == dev.autotune.domain.query.ListColumn.Kind.METRIC) {
            cursorValueSql = "SELECT c.value FROM experiment_list_metric c WHERE c.number = ? AND c.metric = ?";
            cursorValueParams.add(sort.key());
            // unfiltered, the (metric, value, number) index alone answers; a filter (leaving the excluded out is one)
            // needs the list row too
            boolean alone = filterParams.isEmpty() && q.filter().includeExcluded();
            valued = alone ? new Part("FROM experiment_list_metric s", " WHERE s.metric = ?", "s.value",
                    List.of(sort.key()), cursorValueSql, cursorValueParams)
                    : new Part("FROM experiment_list_metric s JOIN experiment_list l ON l.number = s.number",
                    where + " AND s.metric = ?", "s.value", append(filterParams, sort.key()), cursorValueSql,
                    cursorValueParams);
            unvalued = new Part("FROM experiment_list l", where + " AND NOT EXISTS (SELECT 1 FROM "
                    + "experiment_list_metric s WHERE s.number = l.number AND s.metric = ?)", null,
                    append(filterParams, sort.key()));
        } else {
            String column = FIELD_COLUMNS.get(sort.key());
            cursorValueSql = "SELECT " + column.replace("l.", "c.") + " FROM experiment_list c WHERE c.number = ?";
            if (column.equals("l.number")) {
                valued = new Part("FROM experiment_list l", where, "l.number", filterParams);
                unvalued = null;
            } else {
                valued = new Part("FROM experiment_list l", where + " AND " + column + " IS NOT NULL", column,
                        filterParams, cursorValueSql, cursorValueParams);
                unvalued = new Part("FROM experiment_list l", where + " AND " + column + " IS NULL", null,
                        filterParams);
            }
        }
        // one row more than the page tells whether there is a next page
        long wanted = q.limit() == 0 ? Integer.MAX_VALUE : q.limit() + 1L;
        return db.read(c -> {
            // the count reads the whole filter's index, every other step of a page a hundred entries: a client paging
            // through the list asks for it again with each page
            String countSql = "SELECT count(*) FROM experiment_list l" + where;
            Integer total = totals.get(at, countSql + filterParams);
            if (total == null) {
                total = count(c, countSql, filterParams);
                totals.put(at, countSql + filterParams, total);
            }
            Integer cursorNumber = q.after() == null ? null : q.after().number();
            List<Integer> numbers = new ArrayList<>();
            Map<Integer, byte[]> joined = joinJson ? new java.util.HashMap<>() : null;
            List<Object> valuedParams = valued.params(cursorNumber);
            // a cursor on a row without the value finds no valued row after it (the comparison is null)
            numbers.addAll(numbers(c, valued.select(dir, cursorNumber != null, joinJson), valuedParams, wanted,
                    q.offset(), joined));
            boolean inValued = true;
            if (numbers.size() < wanted && unvalued != null) {
                // a cursor on a row without the value continues among those rows: the valued part is behind it
                if (cursorNumber != null) {
                    List<Object> p = new ArrayList<>();
                    p.add(cursorNumber);
                    p.addAll(cursorValueParams);
                    inValued = value(c, cursorValueSql, p) != null;
                }
                // the page runs past the rows that have the value: continue into those that lack it, with what is
                // left of the offset once the valued rows are skipped
                int offset = q.offset();
                if (inValued) {
                    offset = numbers.isEmpty() && offset > 0
                            ? Math.max(0, offset - count(c, valued.count(dir, cursorNumber != null), valuedParams)) : 0;
                }
                numbers.addAll(numbers(c, unvalued.select(dir, !inValued, joinJson), unvalued.params(inValued
                        ? null : cursorNumber), wanted - numbers.size(), offset, joined));
            }
            boolean more = numbers.size() > q.limit() && q.limit() > 0;
            List<Integer> page = more ? numbers.subList(0, q.limit()) : numbers;
            return new Cut<>(reader.read(c, page, joined), total, more ? next(sort, page) : null, sort);
        });
    }

    /**
     * How many rows match each filter, at one position in the event log: exact, not time-based, like the API's page
     * cache; a count made while the log moved on is at least as new as the position it is kept under, and is
     * dropped with the rest at the next one.
     */
    private static final class Totals {
        private long position = -1;
        private final Map<String, Integer> counts = new java.util.HashMap<>();

        synchronized Integer get(long at, String filter) {
            if (at < 0) {
                return null;
            }
            if (at != position) {
                counts.clear();
                position = at;
            }
            return counts.get(filter);
        }

        synchronized void put(long at, String filter, int count) {
            // a handful of filters at a time (the dashboard's pickers); a script trying many is not kept forever
            if (at >= 0 && at == position && counts.size() < 256) {
                counts.put(filter, count);
            }
        }
    }

    private static List<Object> append(List<Object> params, Object more) {
        List<Object> all = new ArrayList<>(params);
        all.add(more);
        return all;
    }

    private static Object value(Connection c, String sql, List<Object> params) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            Rows.bind(st, params.toArray());
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getObject(1) : null;
            }
        }
    }

    private static int count(Connection c, String sql, List<Object> params) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            Rows.bind(st, params.toArray());
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** {@code joined} not null: the statement also selects each row's stored JSON (null when none), kept there. */
    private static List<Integer> numbers(Connection c, String sql, List<Object> params, long limit, int offset,
                                         Map<Integer, byte[]> joined) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            List<Object> all = new ArrayList<>(params);
            all.add(limit);
            all.add(offset);
            Rows.bind(st, all.toArray());
            try (ResultSet rs = st.executeQuery()) {
                List<Integer> out = new ArrayList<>();
                while (rs.next()) {
                    int number = rs.getInt(1);
                    out.add(number);
                    byte[] json = joined == null ? null : rs.getBytes(2);
                    if (json != null) {
                        joined.put(number, json);
                    }
                }
                return out;
            }
        }
    }
}
