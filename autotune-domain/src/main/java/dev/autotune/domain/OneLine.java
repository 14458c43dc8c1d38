package dev.autotune.domain;

/**
 * Text for messages that must stay on one line: a CLI error, an HTTP error body, a failure recorded in an event.
 * Library messages and file content quoted in them may span several lines; these are the two rules for that,
 * for every module (it sits in the domain only because every module depends on the domain).
 */
public final class OneLine {
    private OneLine() {
    }

    /** The whole text on one line: line breaks and tabs become single spaces, runs of blanks collapse; "" for null. */
    public static String of(String text) {
        if (text == null) {
            return "";
        }
        return text.replaceAll("[\\r\\n\\t]+", " ").replaceAll(" {2,}", " ").strip();
    }

    /**
     * The first non-blank line, stripped: the headline of a library's message or a tool's output, without the
     * detail lines after it. {@code ifNone} when the text is null or blank.
     */
    public static String first(String text, String ifNone) {
        if (text != null) {
            for (String line : text.split("\\R")) {
                if (!line.isBlank()) {
                    return line.strip();
                }
            }
        }
        return ifNone;
    }
}
