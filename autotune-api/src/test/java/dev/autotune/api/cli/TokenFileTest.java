package dev.autotune.api.cli;

import dev.autotune.api.app.common.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** serve --token-file: only a small regular file is read, and a weak token or a file others can touch is named. */
class TokenFileTest {
    @TempDir
    Path dir;

    @Test
    void aDeviceOrAHugeFileIsOneLineNotAnOutOfMemoryError() throws Exception {
        UserError zero = catchThrowableOfType(() -> ServeCommand.readToken(Path.of("/dev/zero"), w -> {
        }), UserError.class);
        assertThat(zero.getMessage()).contains("/dev/zero is not a regular file");
        Path big = Files.writeString(dir.resolve("big"), "x".repeat(10_000));
        assertThat(catchThrowableOfType(() -> ServeCommand.readToken(big, w -> {
        }), UserError.class).getMessage()).contains("larger than 4096 bytes");
    }

    @Test
    void aShortTokenOrAFileOthersCanReadOrWriteIsWarnedAbout() throws Exception {
        List<String> warnings = new ArrayList<>();
        Path weak = Files.writeString(dir.resolve("weak"), "x\n");
        Files.setPosixFilePermissions(weak, PosixFilePermissions.fromString("rw-rw-rw-"));
        assertThat(ServeCommand.readToken(weak, warnings::add)).isEqualTo("x");
        assertThat(warnings).hasSize(2);
        assertThat(warnings.get(0)).contains("is 1 characters");
        assertThat(warnings.get(1)).contains("rw-rw-rw-", "chmod 600");

        warnings.clear();
        Path good = Files.writeString(dir.resolve("good"), "0123456789abcdef0123456789abcdef\n");
        Files.setPosixFilePermissions(good, PosixFilePermissions.fromString("rw-------"));
        assertThat(ServeCommand.readToken(good, warnings::add)).hasSize(32);
        assertThat(warnings).isEmpty();
    }
}
