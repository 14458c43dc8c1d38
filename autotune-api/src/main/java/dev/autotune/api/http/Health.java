package dev.autotune.api.http;

import dev.autotune.api.app.Autotune;
import io.javalin.http.Context;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * GET /health: up, which kind of store, and whether the read models have caught up with the event log. It needs no
 * token, so it names neither the database file nor its URL (a server's layout and its PostgreSQL user and parameters
 * are nobody's business who can reach the port).
 */
final class Health {
    private final Autotune autotune;

    Health(Autotune autotune) {
        this.autotune = autotune;
    }

    void show(Context ctx) {
        Params.only(ctx, Set.of());
        long events = autotune.eventLog().eventCount();
        long projected = autotune.history().projectedPosition();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "ok");
        body.put("db", autotune.database().isServer() ? "postgresql" : "sqlite");
        body.put("events", events);
        body.put("projected", projected);
        body.put("projections_current", projected >= events);
        ctx.json(body);
    }
}
