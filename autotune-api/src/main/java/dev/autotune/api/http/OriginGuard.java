package dev.autotune.api.http;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Keeps web pages from other sites out of the API. A page the user visits can make the browser send requests
 * to 127.0.0.1: a form POST needs no permission (cross-site write), and DNS rebinding makes the browser treat
 * this server as the page's own host (cross-site read). So:
 * <ul>
 * <li>the {@code Host} header must name this server: the address it is bound to, the loopback names, and for a
 *     non-loopback bind this machine's names and addresses, plus every {@code serve --allow-host NAME}; a
 *     rebinding page's requests carry its own domain and are refused;</li>
 * <li>a request that changes state (anything but GET, HEAD, OPTIONS) is refused when the browser says it comes
 *     from another origin ({@code Origin} other than this server's own, or {@code Sec-Fetch-Site} cross-site or
 *     same-site). Scripts and curl send neither header and are not affected.</li>
 * </ul>
 * The bearer token rules ({@link ApiServer}) are independent of these and unchanged.
 */
final class OriginGuard {
    private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "::1");

    private final Set<String> hosts;

    OriginGuard(Set<String> hosts) {
        this.hosts = Collections.unmodifiableSet(new TreeSet<>(hosts));
    }

    /** The names a server bound to {@code bindHost} answers to, plus {@code extra}. */
    static OriginGuard forBind(String bindHost, List<String> extra) {
        Set<String> hosts = new TreeSet<>(LOOPBACK_NAMES);
        hosts.add(normalize(bindHost));
        boolean loopback;
        try {
            loopback = InetAddress.getByName(bindHost).isLoopbackAddress();
        } catch (UnknownHostException e) {
            loopback = false;
        }
        if (!loopback) {
            // reachable from other machines: under this machine's names and any of its addresses
            try {
                InetAddress self = InetAddress.getLocalHost();
                hosts.add(normalize(self.getHostName()));
                hosts.add(normalize(self.getCanonicalHostName()));
            } catch (UnknownHostException ignored) {
                // no name resolves for this machine; its addresses below still work
            }
            try {
                for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                    for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                        hosts.add(normalize(address.getHostAddress()));
                    }
                }
            } catch (SocketException ignored) {
                // no interface list: the bind address and names above remain
            }
        }
        extra.forEach(h -> hosts.add(normalize(h)));
        return new OriginGuard(hosts);
    }

    Set<String> hosts() {
        return hosts;
    }

    void check(Context ctx) {
        String host = ctx.header("Host");
        // HTTP/1.0 clients may omit Host; browsers always send it, so a missing one is no rebinding
        if (host != null && !hosts.contains(hostName(host))) {
            throw HttpProblem.forbidden("Host", "this server answers only to " + String.join(", ", hosts)
                    + " (serve --allow-host NAME adds a name); got '" + abbreviate(host) + "'");
        }
        if (ctx.method() == HandlerType.GET || ctx.method() == HandlerType.HEAD || ctx.method() == HandlerType.OPTIONS) {
            return;
        }
        String origin = ctx.header("Origin");
        if (origin != null && !sameOrigin(origin, ctx.req().getLocalPort())) {
            throw HttpProblem.forbidden("Origin", "refusing a write from the web page at '"
                    + abbreviate(origin) + "': only this server's own pages (or scripts without an"
                    + " Origin header) may write");
        }
        String site = ctx.header("Sec-Fetch-Site");
        if (site != null && (site.equalsIgnoreCase("cross-site") || site.equalsIgnoreCase("same-site"))) {
            throw HttpProblem.forbidden("Origin", "refusing a write from another site (Sec-Fetch-Site: " + site + ")");
        }
    }

    private boolean sameOrigin(String origin, int port) {
        try {
            URI uri = new URI(origin.strip());
            int originPort = uri.getPort() == -1 ? 80 : uri.getPort();
            return "http".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null
                    && hosts.contains(normalize(uri.getHost())) && originPort == port;
        } catch (java.net.URISyntaxException e) {
            return false; // includes "null", which sandboxed frames and file: pages send
        }
    }

    // the header is the attacker's text: quote a bounded piece of it
    private static String abbreviate(String text) {
        String t = text.replaceAll("\\p{Cntrl}", "?");
        return t.length() <= 80 ? t : t.substring(0, 77) + "...";
    }

    /** The host part of a Host header: {@code name:port}, {@code [v6]:port} or a bare name. */
    static String hostName(String header) {
        String h = header.strip();
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? normalize(h) : normalize(h.substring(0, end + 1));
        }
        int colon = h.lastIndexOf(':');
        return normalize(colon >= 0 && h.indexOf(':') == colon ? h.substring(0, colon) : h);
    }

    /** Lower case, no trailing dot, IPv6 without brackets. */
    static String normalize(String host) {
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }
}
