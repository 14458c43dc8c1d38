package dev.autotune.api.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Rendered pages of the experiment list, reused while the read models stay at the same position in the event
 * log. Every open dashboard re-reads the same page when an event arrives, and scripts poll; those requests cost
 * a position lookup instead of a query and a render. Exact, not time-based: any new event empties it.
 */
final class PageCache {
    private final int capacity;
    private long position = -1;
    private final Map<String, byte[]> pages;

    PageCache(int capacity) {
        this.capacity = capacity;
        this.pages = new LinkedHashMap<>(capacity, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
                return size() > PageCache.this.capacity;
            }
        };
    }

    /** The page rendered for {@code key} at exactly this position, or null. */
    synchronized byte[] get(long at, String key) {
        if (at != position) {
            pages.clear();
            position = at;
            return null;
        }
        return pages.get(key);
    }

    /**
     * Keeps a page read at or after {@code at}; a page rendered while the log moved on is still at least as new
     * as {@code at}, and is dropped with the rest at the next position.
     */
    synchronized void put(long at, String key, byte[] page) {
        if (at == position) {
            pages.put(key, page);
        }
    }
}
