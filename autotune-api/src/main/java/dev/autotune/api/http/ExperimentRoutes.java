package dev.autotune.api.http;

import dev.autotune.api.app.Autotune;
import dev.autotune.api.render.ExperimentJson;
import dev.autotune.domain.Metric;
import dev.autotune.domain.query.ExperimentDetail;
import dev.autotune.domain.query.ListFilter;
import dev.autotune.domain.query.JsonPage;
import io.javalin.http.Context;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** GET /api/experiments, GET /api/experiments/{id}: the list and one experiment, as the CLI's --json shows them. */
final class ExperimentRoutes {
    static final int MAX_LIMIT = 10_000;
    private static final Set<String> LIST_PARAMS = Set.of("scenario", "status", "backend", "sort", "order", "limit",
            "offset", "after", "facets", "where", "include_excluded");

    private final Autotune autotune;
    private final RunLogs logs;
    private final PageCache cache = new PageCache(64);

    ExperimentRoutes(Autotune autotune, RunLogs logs) {
        this.autotune = autotune;
        this.logs = logs;
    }

    void list(Context ctx) {
        Params.only(ctx, LIST_PARAMS);
        ListFilter filter = autotune.history().filter(Params.text(ctx, "scenario"), Params.text(ctx, "status"),
                Params.text(ctx, "backend"), Params.flag(ctx, "include_excluded"));
        String where = Params.text(ctx, "where");
        String perGpu = dev.autotune.api.app.common.GpuCounts.perGpuNamed(where);
        if (perGpu != null) {
            // per-GPU values need a GPU count per experiment, which this page does not take
            throw HttpProblem.badRequest("where", "'" + perGpu + "' needs gpus=EXPR, which /api/check, /api/diff, "
                    + "/api/recommendation and /api/export take; this list does not");
        }
        String sort = Params.text(ctx, "sort");
        if (sort != null && Metric.byKey(sort.toLowerCase(Locale.ROOT)).filter(m -> m.perGpuOf() != null).isPresent()) {
            // per-GPU values need a GPU count per experiment, which this page does not take
            throw HttpProblem.badRequest("sort", "cannot sort by '" + sort + "': per-GPU metrics need gpus=EXPR, "
                    + "which /api/check, /api/diff, /api/recommendation and /api/export take");
        }
        String order = Params.text(ctx, "order");
        int limit = Params.integer(ctx, "limit", 50, 1, MAX_LIMIT);
        int offset = Params.integer(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        String after = Params.text(ctx, "after");
        boolean facets = Params.flag(ctx, "facets");
        long position = autotune.catchUp();
        String key = filter + "|" + where + "|" + sort + "|" + order + "|" + limit + "|" + offset + "|" + after + "|"
                + facets;
        byte[] page = cache.get(position, key);
        if (page == null) {
            JsonPage answer = autotune.history().page(filter, where, sort, order, limit, offset, after, facets);
            page = ExperimentJson.page(answer, limit, offset);
            cache.put(position, key, page);
        }
        ctx.header("Cache-Control", "no-cache").contentType("application/json").result(page);
    }

    void show(Context ctx) {
        Params.only(ctx, Set.of());
        ExperimentDetail d = autotune.history().show(ctx.pathParam("id"));
        Map<String, Object> body = ExperimentJson.detail(d);
        body.put("artifacts", logs.artifacts(d));
        ctx.json(body);
    }
}
