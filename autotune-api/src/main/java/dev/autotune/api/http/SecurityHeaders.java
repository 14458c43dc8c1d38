package dev.autotune.api.http;

import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Headers every response carries, the dashboard's pages, the API's JSON and Jetty's own error answers alike:
 * <ul>
 * <li>{@code X-Content-Type-Options: nosniff}: an uploaded report or a log is never run as script or style;</li>
 * <li>{@code Content-Security-Policy}: the dashboard is same-origin modules, a stylesheet and Chart.js from the
 *     jar, so only 'self' is allowed (no inline script or style, no remote origin, no plugins); its favicon is
 *     the {@code data:,} URL; {@code frame-ancestors 'none'} keeps it out of other sites' frames;</li>
 * <li>{@code X-Frame-Options: DENY} for browsers that predate frame-ancestors;</li>
 * <li>{@code Referrer-Policy: no-referrer}: experiment ids and scenario names in URLs stay on this machine.</li>
 * </ul>
 */
final class SecurityHeaders {
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self';"
            + " img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none';"
            + " form-action 'self'; frame-ancestors 'none'";

    static final Map<String, String> HEADERS = Map.of(
            "X-Content-Type-Options", "nosniff",
            "Content-Security-Policy", CONTENT_SECURITY_POLICY,
            "X-Frame-Options", "DENY",
            "Referrer-Policy", "no-referrer");

    private SecurityHeaders() {
    }

    /** Sets every header through {@code setter} (a Javalin context or a Jetty response). */
    static void apply(BiConsumer<String, String> setter) {
        HEADERS.forEach(setter);
    }
}
