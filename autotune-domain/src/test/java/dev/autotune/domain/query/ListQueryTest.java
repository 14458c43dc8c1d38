package dev.autotune.domain.query;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ListQueryTest {
    private static final List<Integer> ROWS = List.of(1, 2, 3, 4, 5);
    private static final ListSort LATENCY = new ListSort(ListColumn.metric("latency_ms"), false);

    @Test
    void withASortTheLimitKeepsTheFirstRowsOfThatOrder() {
        assertThat(ListQuery.of(ListFilter.ALL, null, LATENCY, 2).cut(ROWS)).containsExactly(1, 2);
        assertThat(new ListQuery(ListFilter.ALL, null, LATENCY, 2, 2, null).cut(ROWS)).containsExactly(3, 4);
        assertThat(new ListQuery(ListFilter.ALL, null, LATENCY, 2, 9, null).cut(ROWS)).isEmpty();
        assertThat(ListQuery.of(ListFilter.ALL, null, LATENCY, 0).cut(ROWS)).containsExactlyElementsOf(ROWS);
    }

    @Test
    void withoutASortTheLimitKeepsTheNewestInHistoryOrder() {
        assertThat(ListQuery.of(ListFilter.ALL, null, null, 2).cut(ROWS)).containsExactly(4, 5);
        assertThat(ListQuery.of(ListFilter.ALL, "  ", null, 0).where()).isNull();
    }

    @Test
    void theDatabaseAnswersFieldAndMetricSortsWithoutAFilter() {
        assertThat(ListQuery.of(ListFilter.ALL, null, LATENCY, 3).answeredInSql()).isTrue();
        assertThat(ListQuery.of(ListFilter.ALL, "metric.latency_ms < 5", LATENCY, 3).answeredInSql()).isFalse();
        assertThat(ListQuery.of(ListFilter.ALL, null, new ListSort(ListColumn.tag("gpu"), true), 3).answeredInSql())
                .isFalse();
    }

    @Test
    void aCursorRoundTripsAndBelongsToOneOrder() {
        ListCursor c = new ListCursor("latency_ms", false, 42);
        assertThat(ListCursor.decode(c.encode(), LATENCY)).isEqualTo(c);
        assertThatThrownBy(() -> ListCursor.decode(c.encode(), new ListSort(ListColumn.metric("latency_ms"), true)))
                .hasMessageContaining("sorted by latency_ms asc");
        assertThatThrownBy(() -> ListCursor.decode("%%%", LATENCY)).hasMessageContaining("not a cursor");
        assertThatThrownBy(() -> ListCursor.decode(java.util.Base64.getUrlEncoder().encodeToString("c1\nx".getBytes()),
                LATENCY)).hasMessageContaining("not a cursor");
    }

    @Test
    void sortSpecsTakeAnOrderAfterAColonAndTiesFollowTheDirection() {
        ListSort s = ListSort.parse("tok/s:desc", List::of);
        assertThat(s.key()).isEqualTo("throughput_tokens_per_sec");
        assertThat(s.descending()).isTrue();
        assertThatThrownBy(() -> ListSort.parse("id:up", List::of)).hasMessageContaining("asc or desc");
        var a = WhereTest.row(1, 2, 30.0, java.util.Map.of(), "2026-11-02T10:00:00Z");
        var b = WhereTest.row(2, 2, 30.0, java.util.Map.of(), "2026-11-02T10:00:00Z");
        assertThat(List.of(a, b).stream().sorted(ListSort.parse("ttft_ms:desc", List::of).order())
                .map(ExperimentSummary::number)).containsExactly(2, 1);
        assertThat(List.of(b, a).stream().sorted(ListSort.parse("ttft_ms", List::of).order())
                .map(ExperimentSummary::number)).containsExactly(1, 2);
    }
}
