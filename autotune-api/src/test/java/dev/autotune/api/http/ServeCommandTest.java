package dev.autotune.api.http;

import dev.autotune.api.cli.AutotuneCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** `autotune serve` refuses to expose writes to the network without a token. */
class ServeCommandTest {
    @TempDir
    Path dir;

    record Run(int exit, String err) {
    }

    Run serve(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] all = new String[args.length + 3];
        all[0] = "serve";
        all[1] = "--db";
        all[2] = dir.resolve("a.db").toString();
        System.arraycopy(args, 0, all, 3, args.length);
        int exit = AutotuneCli.execute(new PrintStream(OutputStream.nullOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8), StandardCharsets.UTF_8, all);
        return new Run(exit, err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aNonLoopbackHostWithoutATokenFileDoesNotStart() {
        Run r = serve("--host", "0.0.0.0", "--port", "0");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("not a loopback address").contains("--token-file");
        assertThat(dir.resolve("a.db")).doesNotExist();
    }

    @Test
    void anEmptyOrMissingTokenFileIsRefused() throws Exception {
        Path empty = Files.writeString(dir.resolve("token"), "  \n");
        assertThat(serve("--token-file", empty.toString()).err()).contains("is empty");
        Run missing = serve("--token-file", dir.resolve("nope").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("cannot read");
    }

    @Test
    void badPortsAndLimitsAreRefused() {
        assertThat(serve("--port", "70000").exit()).isEqualTo(2);
        assertThat(serve("--max-upload-mb", "0").exit()).isEqualTo(2);
    }

    @Test
    void loopbackNamesCountAsLoopback() throws Exception {
        assertThat(ApiServer.isLoopback("127.0.0.1")).isTrue();
        assertThat(ApiServer.isLoopback("localhost")).isTrue();
        assertThat(ApiServer.isLoopback("::1")).isTrue();
        assertThat(ApiServer.isLoopback("0.0.0.0")).isFalse();
    }
}
