package dev.autotune.domain.search;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The strategies a study can use, by the name a user types and a StudyStarted event records. */
public final class Strategies {
    /** The default: a Gaussian-process model with constrained expected improvement. */
    public static final String DEFAULT = "model";

    private static final Map<String, Supplier<Strategy>> BY_NAME = Map.of(
            "grid", () -> new GridStrategy(false),
            "grid-random", () -> new GridStrategy(true),
            "random", RandomStrategy::new,
            "per-knob", PerKnobStrategy::new,
            "model", ModelStrategy::new);

    private Strategies() {
    }

    /** The names, default first. */
    public static List<String> names() {
        return List.of("model", "grid", "grid-random", "random", "per-knob");
    }

    /** @throws SpaceError (field {@code strategy}) for an unknown name, listing the known ones */
    public static Strategy byName(String name) {
        Supplier<Strategy> s = name == null ? null : BY_NAME.get(name.trim());
        if (s == null) {
            throw new SpaceError("strategy", "unknown strategy '" + name + "' (known: " + String.join(", ", names()) + ")");
        }
        return s.get();
    }
}
