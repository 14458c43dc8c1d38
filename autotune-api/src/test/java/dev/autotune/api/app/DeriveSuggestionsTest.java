package dev.autotune.api.app;

import dev.autotune.api.app.analysis.Analysis;
import dev.autotune.domain.analysis.Recommendation;
import dev.autotune.domain.analysis.Recommendation.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** `recommend --derive-from` writes a config that changes one knob, never a combination nothing analysed. */
class DeriveSuggestionsTest {
    @TempDir
    Path dir;

    @Test
    void with_suggestions_for_two_knobs_only_the_first_is_written() throws Exception {
        Path base = dir.resolve("base.toml");
        Files.writeString(base, "[serving]\nbatch_size = 4\nmax_num_seqs = 128\n");
        Path out = dir.resolve("next.toml");
        List<Recommendation> recs = List.of(
                new Recommendation("serving.batch_size", 6L, Kind.MIDPOINT, "try 6", 4L, 2, 8L),
                new Recommendation("serving.max_num_seqs", 256L, Kind.EXTEND, "try 256", 128L, 2, null));

        Map<String, String> written = Analysis.deriveSuggestions(recs, base, out, false);

        assertThat(written).containsExactly(Map.entry("serving.batch_size", "6"));
        assertThat(Files.readString(out)).contains("batch_size = 6").contains("max_num_seqs = 128");
    }

    @Test
    void a_knob_without_a_suggestion_gives_way_to_the_next_one() throws Exception {
        Path base = dir.resolve("base.toml");
        Files.writeString(base, "[serving]\nbatch_size = 4\nmax_num_seqs = 128\n");
        List<Recommendation> recs = List.of(
                new Recommendation("serving.batch_size", null, Kind.BOUNDARY_FOUND, "keep 4", 4L, 2, 5L),
                new Recommendation("serving.max_num_seqs", 256L, Kind.EXTEND, "try 256", 128L, 2, null));

        assertThat(Analysis.deriveSuggestions(recs, base, dir.resolve("next.toml"), false))
                .containsExactly(Map.entry("serving.max_num_seqs", "256"));
    }
}
