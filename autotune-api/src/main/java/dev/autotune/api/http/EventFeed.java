package dev.autotune.api.http;

import dev.autotune.api.app.Autotune;
import dev.autotune.domain.query.LoggedEvent;
import io.javalin.http.sse.SseClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * GET /api/events: every event appended to the log, as Server-Sent Events, once the read models include it (so
 * a dashboard that re-reads /api/experiments on an event sees the change). One poller reads the log for all
 * clients; the SSE id is the event's global index, so a reconnecting browser resumes where it stopped.
 */
final class EventFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventFeed.class);
    static final long POLL_MS = 200;
    private static final long HEARTBEAT_MS = 15_000;
    private static final int BATCH = 500;

    private final Autotune autotune;
    /** Each client with the last index it was sent: one that resumed ahead of the poller must not get repeats. */
    private final Map<SseClient, Long> clients = new ConcurrentHashMap<>();
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "autotune-event-feed");
        t.setDaemon(true);
        return t;
    });
    /** The last index the poller has read; guarded by this. */
    private long sent;

    EventFeed(Autotune autotune) {
        this.autotune = autotune;
    }

    synchronized void start() {
        sent = autotune.history().projectedPosition();
        poller.scheduleWithFixedDelay(this::poll, POLL_MS, POLL_MS, TimeUnit.MILLISECONDS);
        poller.scheduleWithFixedDelay(this::heartbeat, HEARTBEAT_MS, HEARTBEAT_MS, TimeUnit.MILLISECONDS);
    }

    /** A new client: it first gets "ready" with the current index, then what it missed since Last-Event-ID. */
    void connect(SseClient client) {
        client.keepAlive();
        client.onClose(() -> clients.remove(client));
        Long resumeAfter = resumePoint(client);
        synchronized (this) {
            client.sendEvent("ready", Map.of("index", sent));
            long last = sent;
            if (resumeAfter != null && resumeAfter < sent) {
                List<LoggedEvent> missed = autotune.history().eventsAfter(resumeAfter, BATCH);
                for (LoggedEvent e : missed) {
                    if (e.index() <= sent) {
                        send(client, e);
                    }
                }
            } else if (resumeAfter != null) {
                last = resumeAfter;
            }
            if (!client.terminated()) {
                clients.put(client, last);
            }
        }
    }

    private static Long resumePoint(SseClient client) {
        String id = client.ctx().header("Last-Event-ID");
        if (id == null) {
            id = client.ctx().queryParam("after");
        }
        try {
            return id == null || id.isBlank() ? null : Long.parseLong(id.trim());
        } catch (NumberFormatException e) {
            // the stream has already started, so there is no 400 to give: start from now instead
            return null;
        }
    }

    private synchronized void poll() {
        try {
            List<LoggedEvent> events = autotune.history().eventsAfter(sent, BATCH);
            for (LoggedEvent e : events) {
                clients.forEach((c, last) -> {
                    if (e.index() > last) {
                        send(c, e);
                        clients.put(c, e.index());
                    }
                });
                sent = e.index();
            }
        } catch (RuntimeException e) {
            // a locked or briefly unreadable database must not end the feed; the next poll tries again
            LOG.warn("event feed: {}", e.getMessage());
        }
    }

    private synchronized void heartbeat() {
        // writing is the only way to notice a browser that went away without closing the connection
        clients.keySet().forEach(c -> c.sendComment("keep-alive"));
    }

    private static void send(SseClient client, LoggedEvent e) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("index", e.index());
        data.put("type", e.type());
        data.put("experiment_id", e.experimentId());
        data.put("id", e.number());
        data.put("at", e.at());
        client.sendEvent("message", data, Long.toString(e.index()));
    }

    @Override
    public void close() {
        poller.shutdownNow();
        clients.keySet().forEach(SseClient::close);
    }
}
