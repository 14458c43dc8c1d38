package dev.autotune.domain.query;

import java.util.List;

/**
 * One question to the experiment list, asked the same way by {@code autotune list} and {@code GET
 * /api/experiments}: which rows ({@code filter}, then {@code where} in the language of {@link Where}), in what
 * order, and how many.
 *
 * <p>The rule for the count: with a {@code sort} the whole matching history is ordered and the first
 * {@code limit} rows of that order are the answer ({@code ORDER BY ... LIMIT}: {@code list --sort latency_ms
 * --last 3} is the 3 lowest latencies of all, not the 3 newest experiments sorted). Without a sort the rows come in
 * history order (when each happened, oldest first) and {@code limit} keeps the newest of them.
 *
 * @param where  null or blank for no filter beyond {@code filter}
 * @param sort   null for history order
 * @param limit  0 for every row
 * @param offset rows of the order to skip before the page (after the cursor, when there is one)
 * @param after  continue after this row of the same order; null from the start
 */
public record ListQuery(ListFilter filter, String where, ListSort sort, int limit, int offset, ListCursor after) {
    public ListQuery {
        if (limit < 0 || offset < 0) {
            throw new IllegalArgumentException("limit and offset cannot be negative");
        }
        where = where == null || where.isBlank() ? null : where;
    }

    /** The CLI's question: {@code last} is its {@code --last} (0 when not given). */
    public static ListQuery of(ListFilter filter, String where, ListSort sort, int last) {
        return new ListQuery(filter, where, sort, last, 0, null);
    }

    /** Whether the database alone can answer it: no {@code where} and a sort on a field or metric (or none). */
    public boolean answeredInSql() {
        return where == null && (sort == null || sort.column().sortableInSql());
    }

    /**
     * The rule above applied to rows already filtered and in their order (the sort's, or history order without
     * one): the page after the offset, or the newest {@code limit} of an unsorted history.
     */
    public <T> List<T> cut(List<T> ordered) {
        if (sort == null) {
            return limit > 0 && ordered.size() > limit ? ordered.subList(ordered.size() - limit, ordered.size())
                    : ordered;
        }
        int from = Math.min(offset, ordered.size());
        int to = limit > 0 ? (int) Math.min((long) from + limit, ordered.size()) : ordered.size();
        return ordered.subList(from, to);
    }
}
