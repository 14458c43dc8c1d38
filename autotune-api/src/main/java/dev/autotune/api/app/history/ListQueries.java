package dev.autotune.api.app.history;

import dev.autotune.api.app.common.UserError;

import dev.autotune.domain.query.ExperimentSummary;
import dev.autotune.domain.query.JsonPage;
import dev.autotune.domain.query.ListColumn;
import dev.autotune.domain.query.ListCursor;
import dev.autotune.domain.query.ListPage;
import dev.autotune.domain.query.ListQuery;
import dev.autotune.domain.query.ListSort;
import dev.autotune.domain.query.Where;
import dev.autotune.projections.ListEngine;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The user's words for a list query (a sort spec, an {@code order}, a cursor token) read into a {@link ListQuery},
 * and the engine's answer with what it cannot read turned into a {@link UserError} naming the parameter. The CLI
 * and the API both come through here, so they take the same names.
 */
final class ListQueries {
    private ListQueries() {
    }

    /** {@code COLUMN[:asc|desc]} ({@code list --sort}); null or blank for history order. */
    static ListSort sort(String spec, ListEngine engine) {
        if (spec == null || spec.isBlank()) {
            return null;
        }
        try {
            return ListSort.parse(spec, engine::knobPaths);
        } catch (IllegalArgumentException e) {
            throw new UserError("sort", e.getMessage(), e);
        }
    }

    /**
     * A column name and a separate {@code order} (the API's {@code sort=} and {@code order=}): newest first when no
     * column is named, and a column's own default order, descending for {@code id} (newest first) and ascending for
     * every other, when no order is.
     */
    static ListSort sort(String name, String order, ListEngine engine) {
        if (order != null && !order.equals("asc") && !order.equals("desc")) {
            throw new UserError("order", "'order' must be asc or desc, got '" + order + "'");
        }
        if (name == null || name.isBlank()) {
            return order == null ? ListSort.NEWEST_FIRST : new ListSort(ListColumn.field("id"), order.equals("desc"));
        }
        if (name.contains(":")) {
            throw new UserError("sort", "'" + name + "': give the order as order=asc or order=desc");
        }
        ListColumn column;
        try {
            column = ListSort.column(name.trim(), engine::knobPaths);
        } catch (IllegalArgumentException e) {
            throw new UserError("sort", "cannot sort by '" + name + "': " + e.getMessage(), e);
        }
        boolean descending = order == null ? column.key().equals("id") : order.equals("desc");
        return new ListSort(column, descending);
    }

    /** The cursor a token of a previous page stands for; null when none is given. */
    static ListCursor after(String token, ListSort sort) {
        if (token == null || token.isBlank()) {
            return null;
        }
        try {
            return ListCursor.decode(token, sort);
        } catch (IllegalArgumentException e) {
            throw new UserError("after", e.getMessage(), e);
        }
    }

    /** Column names ({@code --columns}), each resolved as a sort name is. */
    static List<ListColumn> columns(String names, Supplier<? extends java.util.Collection<String>> knobPaths) {
        List<ListColumn> out = new ArrayList<>();
        for (String name : ListColumn.names(names)) {
            try {
                out.add(ListSort.column(name, knobPaths));
            } catch (IllegalArgumentException e) {
                throw new UserError("columns", e.getMessage(), e);
            }
        }
        if (out.isEmpty()) {
            // "--columns ," would print a table of nothing
            throw new UserError("columns", "name at least one column, e.g. id,status,latency_ms");
        }
        return out;
    }

    static List<ExperimentSummary> rows(ListEngine engine, ListQuery query,
                                        java.util.function.UnaryOperator<ExperimentSummary> derive) {
        try {
            return engine.rows(query, derive);
        } catch (Where.Invalid e) {
            throw new UserError("where", e.getMessage(), e);
        }
    }

    static JsonPage jsonPage(ListEngine engine, ListQuery query, long at) {
        try {
            return engine.jsonPage(query, at);
        } catch (Where.Invalid e) {
            throw new UserError("where", e.getMessage(), e);
        }
    }

    static ListPage page(ListEngine engine, ListQuery query) {
        try {
            return engine.page(query);
        } catch (Where.Invalid e) {
            throw new UserError("where", e.getMessage(), e);
        }
    }
}
