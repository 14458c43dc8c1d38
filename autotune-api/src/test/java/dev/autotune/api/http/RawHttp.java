package dev.autotune.api.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Requests as an attacker writes them, byte for byte: any Host, a body shorter than its Content-Length, headers
 * and URIs of any size. java.net.http refuses to send most of these.
 */
final class RawHttp {
    record Response(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private RawHttp() {
    }

    /** Sends {@code head} (request line and headers, CRLF-separated, without the blank line) and {@code body}. */
    static Response send(int port, String head, byte[] body, boolean closeOutput) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write((head + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            if (closeOutput) {
                socket.shutdownOutput();
            }
            return read(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Response get(int port, String path, String... headers) {
        StringBuilder head = new StringBuilder("GET " + path + " HTTP/1.1\r\nConnection: close");
        boolean host = false;
        for (String h : headers) {
            head.append("\r\n").append(h);
            host |= h.toLowerCase(Locale.ROOT).startsWith("host:");
        }
        if (!host) {
            head.append("\r\nHost: 127.0.0.1:").append(port);
        }
        return send(port, head.toString(), new byte[0], false);
    }

    private static Response read(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) > 0) {
            all.write(buf, 0, n);
            String text = all.toString(StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            if (end >= 0) {
                Map<String, String> headers = headers(text.substring(0, end));
                String length = headers.get("content-length");
                if (length != null && all.size() >= end + 4 + Integer.parseInt(length.strip())) {
                    break;
                }
            }
        }
        String text = all.toString(StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new IOException("no HTTP response: '" + text + "'");
        }
        String statusLine = text.substring(0, text.indexOf("\r\n"));
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = headers(text.substring(0, end));
        String body = text.substring(end + 4);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = dechunk(body);
        }
        return new Response(status, headers, body);
    }

    private static Map<String, String> headers(String head) {
        Map<String, String> headers = new LinkedHashMap<>();
        String[] lines = head.split("\r\n");
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
            }
        }
        return headers;
    }

    private static String dechunk(String body) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (at < body.length()) {
            int nl = body.indexOf("\r\n", at);
            if (nl < 0) {
                break;
            }
            int size = Integer.parseInt(body.substring(at, nl).strip(), 16);
            if (size == 0) {
                break;
            }
            out.append(body, nl + 2, Math.min(body.length(), nl + 2 + size));
            at = nl + 2 + size + 2;
        }
        return out.toString();
    }
}
