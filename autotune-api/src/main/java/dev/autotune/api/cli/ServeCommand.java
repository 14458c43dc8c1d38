package dev.autotune.api.cli;

import dev.autotune.api.app.Autotune;
import dev.autotune.api.app.common.StoreLocation;
import dev.autotune.api.app.common.UserError;
import dev.autotune.api.http.ApiServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "serve", mixinStandardHelpOptions = true,
        footerHeading = "%nExample:%n", footer = "  autotune serve --db autotune-demo.db --port 8080",
        description = "Serve the HTTP API and the web dashboard over the database. Binds 127.0.0.1 by default; "
                + "any other address needs --token-file, and write requests must then carry that token.")
final class ServeCommand implements Callable<Integer> {
    @Mixin
    Output io;

    @Mixin
    DbOption db;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "address to bind (default: ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--port", defaultValue = "8080", description = "port (default: ${DEFAULT-VALUE}; 0 picks a free one)")
    int port;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "file holding the bearer token write requests (POST) must send as 'Authorization: Bearer <token>'")
    Path tokenFile;

    @Option(names = "--max-upload-mb", defaultValue = "50", paramLabel = "N",
            description = "largest report upload accepted (default: ${DEFAULT-VALUE})")
    long maxUploadMb;

    @Option(names = "--allow-host", paramLabel = "NAME",
            description = "another Host name the server answers to, e.g. behind a proxy or tunnel (repeatable); "
                    + "requests for any other name are refused, which stops DNS-rebinding pages")
    List<String> allowHosts;

    @Override
    public Integer call() throws InterruptedException {
        String token = tokenFile == null ? null : readToken(tokenFile);
        boolean loopback;
        try {
            loopback = ApiServer.isLoopback(host);
        } catch (UnknownHostException e) {
            throw new UserError(null, "--host " + host + ": unknown host");
        }
        if (!loopback && token == null) {
            throw new UserError(null, "--host " + host + " is not a loopback address: pass --token-file FILE so only "
                    + "holders of the token can write");
        }
        if (port < 0 || port > 65535) {
            throw new UserError(null, "--port must be between 0 and 65535, got " + port);
        }
        if (maxUploadMb <= 0) {
            throw new UserError(null, "--max-upload-mb must be positive, got " + maxUploadMb);
        }
        StoreLocation dbPath = db.path();
        // an upload the server accepts must not then be refused by the report size cap
        Autotune autotune = db.open(Math.max(Autotune.DEFAULT_MAX_REPORT_BYTES, maxUploadMb * 1024 * 1024));
        ApiServer server;
        try {
            autotune.live();
            server = ApiServer.start(autotune, new ApiServer.Options(host, port, token, maxUploadMb * 1024 * 1024,
                    ApiServer.uploadsDirFor(dbPath), allowHosts == null ? List.of() : allowHosts));
        } catch (RuntimeException e) {
            autotune.close();
            if (e instanceof UserError) {
                throw e;
            }
            throw new UserError(null, "cannot serve on " + host + ":" + port + ": " + rootMessage(e), e);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            autotune.close();
            stopped.countDown();
        }, "autotune-serve-stop"));
        io.out().println("autotune: serving " + dbPath + " at " + server.url()
                + (token == null ? "" : " (writes need the bearer token)") + "; Ctrl-C stops");
        io.stream().flush();
        stopped.await();
        return AutotuneCli.OK;
    }

    /** A token is a line of text; a file larger than this is not a token file (and /dev/zero never ends). */
    static final int MAX_TOKEN_BYTES = 4096;
    /** Shorter tokens can be guessed; this many random hex characters is 64 bits. */
    static final int MIN_TOKEN_CHARS = 16;

    private String readToken(Path file) {
        return readToken(file, w -> io.err().println("autotune: warning: " + w));
    }

    /** The token in {@code file}; what makes it weak (short, others may read or change it) goes to {@code warn}. */
    static String readToken(Path file, java.util.function.Consumer<String> warn) {
        byte[] bytes;
        try {
            if (Files.exists(file) && !Files.isRegularFile(file)) {
                throw new UserError(null, "--token-file " + file + " is not a regular file");
            }
            try (var in = Files.newInputStream(file)) {
                bytes = in.readNBytes(MAX_TOKEN_BYTES + 1);
            }
        } catch (IOException e) {
            throw new UserError(null, "--token-file " + file + ": cannot read (" + e.getMessage() + ")", e);
        }
        if (bytes.length > MAX_TOKEN_BYTES) {
            throw new UserError(null, "--token-file " + file + " is larger than " + MAX_TOKEN_BYTES
                    + " bytes; it holds one token on one line");
        }
        String token = new String(bytes, StandardCharsets.UTF_8).trim();
        if (token.isEmpty()) {
            throw new UserError(null, "--token-file " + file + " is empty");
        }
        if (token.length() < MIN_TOKEN_CHARS) {
            warn.accept("the token in " + file + " is " + token.length() + " characters; one of at least "
                    + MIN_TOKEN_CHARS + " is hard to guess (openssl rand -hex 32)");
        }
        try {
            var perms = Files.getPosixFilePermissions(file);
            if (perms.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_WRITE)
                    || perms.contains(java.nio.file.attribute.PosixFilePermission.GROUP_WRITE)
                    || perms.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ)) {
                warn.accept(file + " can be read or changed by other users (" 
                        + java.nio.file.attribute.PosixFilePermissions.toString(perms) + "); chmod 600 it");
            }
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system: nothing to check
        }
        return token;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
