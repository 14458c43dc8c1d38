package dev.autotune.domain;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SameRunTest {
    @Test
    void theSameConfigIsTheSameRunWhateverTheLoadAndTheFormsOfNamesAndNumbers() {
        Map<Integer, Map<String, Object>> earlier = new LinkedHashMap<>();
        earlier.put(3, Map.of("serving.batch_size", 8L, "concurrency", 16L));
        earlier.put(5, Map.of("serving.batch_size", 4L, "concurrency", 16L));
        // the CSV of the same AIPerf run states no concurrency; an Integer 4 is the Long 4 the TOML gave
        assertThat(SameRun.earlier(earlier, Map.of("serving.batch_size", 4))).contains(5);
        assertThat(SameRun.earlier(earlier, Map.of("serving.batch_size", 4L, "request_rate", 2.0))).contains(5);
    }

    @Test
    void anotherConfigIsAnotherRun() {
        Map<Integer, Map<String, Object>> earlier = new LinkedHashMap<>();
        earlier.put(3, Map.of("serving.batch_size", 8L));
        assertThat(SameRun.earlier(earlier, Map.of("serving.batch_size", 4L))).isEmpty();
        assertThat(SameRun.earlier(earlier, Map.of("serving.batch_size", 8L, "serving.tp", 2L))).isEmpty();
        assertThat(SameRun.earlier(Map.of(), Map.of("serving.batch_size", 8L))).isEmpty();
    }
}
