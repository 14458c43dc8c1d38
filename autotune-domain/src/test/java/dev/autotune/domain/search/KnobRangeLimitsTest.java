package dev.autotune.domain.search;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** A range's bounds: infinite or NaN bounds are an error naming the key, and whole numbers past a long stay numbers. */
class KnobRangeLimitsTest {
    @Test
    void infiniteOrNanBoundsNameTheirKey() {
        SpaceError inf = catchThrowableOfType(() -> Knob.range("k", Double.POSITIVE_INFINITY, 1, 1, false),
                SpaceError.class);
        assertThat(inf.field()).isEqualTo("knobs.\"k\".start");
        SpaceError nan = catchThrowableOfType(() -> Knob.range("k", 1, 2, Double.NaN, false), SpaceError.class);
        assertThat(nan.field()).isEqualTo("knobs.\"k\".step");
    }

    @Test
    void wholeBoundsPastALongAreDoublesNotAnOverflow() {
        Knob k = Knob.range("k", 1e19, 3e19, 1e19, false);
        assertThat(k.values()).containsExactly(1e19, 2e19, 3e19);
    }
}
