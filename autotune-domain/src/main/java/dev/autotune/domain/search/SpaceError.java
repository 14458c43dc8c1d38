package dev.autotune.domain.search;

/** A space that cannot be searched; {@code field} names the key it is about (e.g. {@code knobs."cmd_args.tp"}). */
public class SpaceError extends IllegalArgumentException {
    private final String field;

    public SpaceError(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
