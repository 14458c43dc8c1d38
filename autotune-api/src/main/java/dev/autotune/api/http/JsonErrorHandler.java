package dev.autotune.api.http;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Errors Jetty answers itself, before a request reaches Javalin: a URI too long (414), headers too large (431),
 * a request line it cannot parse (400). They get the API's {@code {"error", "field"}} JSON and the security
 * headers, instead of Jetty's HTML page.
 */
final class JsonErrorHandler extends ErrorHandler {

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) throws IOException {
        HttpFields.Mutable headers = response.getHeaders();
        SecurityHeaders.apply(headers::put);
        headers.put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(body(code, message)), callback);
    }

    /** The answer to a request Jetty could not even parse (no Request object exists for it). */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        SecurityHeaders.apply(fields::put);
        fields.put(new HttpField(HttpHeader.CONTENT_TYPE, "application/json"));
        return ByteBuffer.wrap(body(status, reason));
    }

    static byte[] body(int status, String reason) {
        return ErrorBody.bytes(describe(status, reason), status == 414 ? "uri" : status == 431 ? "headers" : null);
    }

    private static String describe(int status, String reason) {
        return switch (status) {
            case 414 -> "request URI too long";
            case 431 -> "request headers too large";
            default -> {
                String standard = HttpStatus.getMessage(status);
                // Jetty's reasons are short phrases about the request's form ("Bad HostPort"), not its content
                yield reason == null || reason.isBlank() || reason.equals(standard) ? standard : standard + ": " + reason;
            }
        };
    }
}
