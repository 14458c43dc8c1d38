package dev.autotune.api.http;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.EOFException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/**
 * A request body the server cannot read as multipart: no or a wrong boundary, garbage, a part header over the
 * limit, a body that ends before its Content-Length or stops arriving. Jetty reports these as a (checked)
 * ServletException around a BadMessageException, EOFException or TimeoutException; each is the client's fault,
 * so it is a 400 naming the form and one line in the server log, never a 500 with a stack trace.
 */
final class MalformedBody {
    private static final Logger LOG = LoggerFactory.getLogger(MalformedBody.class);

    private MalformedBody() {
    }

    static HttpProblem problem(Exception e, String part) {
        Throwable root = e;
        boolean ended = false;
        boolean stalled = false;
        for (Throwable t = e; t != null; t = t.getCause()) {
            ended |= t instanceof EOFException;
            stalled |= t instanceof TimeoutException;
            root = t;
        }
        String message;
        if (root instanceof NullPointerException) {
            // Javalin's form reader assumes every part has a name
            message = "a multipart part has no name: each part needs 'Content-Disposition: form-data; name=...'";
        } else if (ended) {
            message = "the multipart body ended early (before its Content-Length or its closing boundary)";
        } else if (stalled) {
            message = "the multipart body stopped arriving before its Content-Length";
        } else {
            message = "malformed multipart body (" + describe(root) + "): send multipart/form-data with a boundary"
                    + " and the file in a '" + part + "' part";
        }
        LOG.warn("POST rejected with 400: {}", message);
        return HttpProblem.badRequest(part, message);
    }

    private static String describe(Throwable root) {
        String m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        m = m.strip().replaceAll("\\s+", " ");
        // Jetty prefixes its status ("400: bad multipart"); the response already carries it
        m = m.replaceFirst("^\\d{3}: ", "");
        return (m.length() > 120 ? m.substring(0, 117) + "..." : m).toLowerCase(Locale.ROOT);
    }
}
