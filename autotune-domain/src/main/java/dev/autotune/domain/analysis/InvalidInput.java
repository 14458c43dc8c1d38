package dev.autotune.domain.analysis;

/**
 * A question the analysis cannot answer because of one of its inputs, named as data so a caller can point at it
 * without reading the message: {@link #SCENARIO} when the history mixes scenarios, {@link #KNOB} when a knob is
 * unknown or not numeric.
 */
public final class InvalidInput extends IllegalArgumentException {
    public static final String SCENARIO = "scenario";
    public static final String KNOB = "knob";

    private final String input;

    public InvalidInput(String input, String message) {
        super(message);
        this.input = input;
    }

    /** Which input: {@link #SCENARIO} or {@link #KNOB}. */
    public String input() {
        return input;
    }
}
