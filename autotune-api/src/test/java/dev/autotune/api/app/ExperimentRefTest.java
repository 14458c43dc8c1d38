package dev.autotune.api.app;

import dev.autotune.api.app.common.UserError;
import dev.autotune.api.app.common.NotFound;
import dev.autotune.api.app.common.StoreLocation;
import dev.autotune.store.testing.TestStores;
import dev.autotune.domain.ExperimentApi;
import dev.autotune.domain.ExperimentApi.StartExperiment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** An experiment is named by its number, its full id, or a prefix of the id only one experiment has. */
class ExperimentRefTest {
    @TempDir
    Path dir;
    Autotune autotune;

    @BeforeEach
    void threeExperimentsWithChosenIds() {
        autotune = new Autotune(StoreLocation.of("db", TestStores.location(dir, "refs.db")));
        for (String id : List.of("abc-1", "abc-2", "abd_3", "9f-4")) {
            StoreFixture.send(autotune, new StartExperiment(id, "chat", "vllm", Map.of(), null, null, null, Map.of(),
                    ExperimentApi.Source.INGEST, null, null));
        }
    }

    @AfterEach
    void close() {
        autotune.close();
    }

    @Test
    void aNumberAFullIdOrAUniquePrefixNamesOneExperiment() {
        assertThat(autotune.history().show("2").experimentId()).isEqualTo("abc-2");
        assertThat(autotune.history().show("abc-1").number()).isEqualTo(1);
        assertThat(autotune.history().show("abd").number()).isEqualTo(3);
        // '_' is not a wildcard
        assertThat(autotune.history().show("abd_").number()).isEqualTo(3);
        assertThatThrownBy(() -> autotune.history().show("ab_")).isInstanceOf(NotFound.class).hasMessageStartingWith("no experiment ab_");
        assertThat(autotune.corrections().note("abd", "seen by prefix").number()).isEqualTo(3);
        // digits are a number only: "9" is not experiment 4 because its id starts with 9
        assertThatThrownBy(() -> autotune.history().show("9")).isInstanceOf(NotFound.class).hasMessageStartingWith("no experiment 9");
        assertThat(autotune.history().show("9f").number()).isEqualTo(4);
    }

    @Test
    void anAmbiguousPrefixIsOneLineListingTheMatches() {
        assertThatThrownBy(() -> autotune.history().show("ab")).isInstanceOfSatisfying(UserError.class, e -> {
            assertThat(e.field()).isEqualTo("experiment");
            assertThat(e.getMessage()).isEqualTo("'ab' is the start of several experiment ids: 1 (abc-1), 2 (abc-2), "
                    + "3 (abd_3); give more of the id or the number");
        });
        assertThatThrownBy(() -> autotune.corrections().tag("abc", List.of("gpu=H100"))).hasMessageContaining("1 (abc-1), 2 (abc-2)");
    }
}
