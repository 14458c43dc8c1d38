package dev.autotune.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatabaseUrlTest {
    @TempDir
    Path dir;

    @Test
    void aPathOrSqliteUrlIsAFileAndAPostgresqlUrlIsAServer() {
        assertThat(DatabaseUrl.parse("runs/autotune.db", Map.of()).file()).isEqualTo(Path.of("runs/autotune.db"));
        assertThat(DatabaseUrl.parse("sqlite:team.db", Map.of()).file()).isEqualTo(Path.of("team.db"));
        DatabaseUrl pg = DatabaseUrl.parse("postgresql://alice@db.example:6543/tuning?sslmode=require", Map.of());
        assertThat(pg.isPostgres()).isTrue();
        assertThat(pg.host()).isEqualTo("db.example");
        assertThat(pg.port()).isEqualTo(6543);
        assertThat(pg.database()).isEqualTo("tuning");
        assertThat(pg.user()).isEqualTo("alice");
        assertThat(pg.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:6543/tuning?sslmode=require");
        DatabaseUrl defaults = DatabaseUrl.parse("postgres://bob@db", Map.of());
        assertThat(defaults.port()).isEqualTo(5432);
        assertThat(defaults.database()).isEqualTo("bob");
    }

    @Test
    void thePasswordComesFromTheUrlThenPgpasswordThenThePasswordFileAndIsNeverPrinted() throws Exception {
        DatabaseUrl inUrl = DatabaseUrl.parse("postgresql://alice:p%40ss:w0rd@db:5432/t", Map.of("PGPASSWORD", "env"));
        assertThat(inUrl.password()).isEqualTo("p@ss:w0rd");
        assertThat(inUrl.toString()).isEqualTo("postgresql://alice:***@db:5432/t").doesNotContain("w0rd");

        assertThat(DatabaseUrl.parse("postgresql://alice@db/t", Map.of("PGPASSWORD", "from-env")).password())
                .isEqualTo("from-env");

        Path pgpass = dir.resolve("pgpass");
        Files.writeString(pgpass, "# comment\nother:5432:t:alice:wrong\ndb:5432:t:alice:from\\:file\n*:*:*:*:fallback\n");
        String before = System.getProperty("org.postgresql.pgpassfile");
        System.setProperty("org.postgresql.pgpassfile", pgpass.toString());
        try {
            DatabaseUrl fromFile = DatabaseUrl.parse("postgresql://alice@db/t", Map.of());
            assertThat(fromFile.password()).isEqualTo("from:file");
            assertThat(fromFile.toString()).doesNotContain("from:file").contains("***");
            assertThat(DatabaseUrl.parse("postgresql://carol@elsewhere/x", Map.of()).password()).isEqualTo("fallback");
        } finally {
            if (before == null) {
                System.clearProperty("org.postgresql.pgpassfile");
            } else {
                System.setProperty("org.postgresql.pgpassfile", before);
            }
        }
    }

    @Test
    void badUrlsAreRefusedWithoutShowingThePassword() {
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://alice:hunter2@/t", Map.of()))
                .hasMessageContaining("no host").hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://alice@db/t?password=hunter2", Map.of()))
                .hasMessageContaining("not as a URL parameter").hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> DatabaseUrl.parse("mysql://alice:hunter2@db/t", Map.of()))
                .hasMessageContaining("unsupported").hasMessageNotContaining("hunter2");
        assertThat(DatabaseUrl.masked("x postgresql://u:hunter2@h/d y")).isEqualTo("x postgresql://u:***@h/d y");
    }

    @Test
    void aPasswordWithASpaceOrAnAtSignAndSecretParametersAreMaskedEverywhere() {
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://alice:two words@db/t", Map.of()))
                .hasMessageNotContaining("two").hasMessageNotContaining("words");
        for (String text : new String[] {"postgresql://alice:p@ss@db/t", "postgresql://alice:a b@c@db:5432/t"}) {
            String shown;
            try {
                shown = DatabaseUrl.parse(text, Map.of()).toString();
            } catch (IllegalArgumentException e) {
                shown = e.getMessage();
            }
            assertThat(shown).as(text).doesNotContain("ss").doesNotContain("b@c");
        }
        assertThat(DatabaseUrl.masked("cannot reach postgresql://u:a b@c@h/d: refused"))
                .isEqualTo("cannot reach postgresql://u:***@h/d: refused");
        DatabaseUrl tls = DatabaseUrl.parse("postgresql://alice@db/t?sslmode=verify-full&sslpassword=hunter2", Map.of());
        assertThat(tls.toString()).doesNotContain("hunter2").contains("sslmode=verify-full", "sslpassword=***");
        assertThat(tls.jdbcUrl()).contains("sslpassword=hunter2");
    }

    @Test
    void onlyConnectionAndTlsParametersReachTheDriverAndTheUserIsTheUrls() {
        for (String p : new String[] {"socketFactory=org.example.Evil", "sslfactory=org.example.Evil",
                "authenticationPluginClassName=org.example.Evil", "loggerFile=/tmp/x", "SOCKETFACTORY=x"}) {
            assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://alice@db/t?sslmode=require&" + p, Map.of()))
                    .as(p).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + p.substring(0, p.indexOf('=')) + "' is not one autotune passes on");
        }
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://alice@db/t?user=mallory", Map.of()))
                .hasMessageContaining("give the user as postgresql://USER@host/db");
        assertThat(DatabaseUrl.parse("postgresql://alice@db/t?connectTimeout=5&ApplicationName=x", Map.of())
                .jdbcUrl()).endsWith("?connectTimeout=5&ApplicationName=x");
    }
}
