package dev.autotune.domain.query;

import java.util.List;
import java.util.Map;

/**
 * One page of the list as the API sends it: {@link ListPage} with each row as its summary JSON (UTF-8), stored that
 * way by the list projection, so a page is joined rather than written row by row.
 *
 * @param rows   each row's summary JSON object, in page order
 * @param facets the scenarios, backends and statuses recorded so far, for filter pickers; null unless asked for
 * @param next   the cursor ({@link ListCursor#encode}) of the page after this one; null on the last page
 * @param sort   the order the page is in
 */
public record JsonPage(List<byte[]> rows, int total, Map<String, List<String>> facets, String next, ListSort sort) {
    public JsonPage withFacets(Map<String, List<String>> facets) {
        return new JsonPage(rows, total, facets, next, sort);
    }
}
