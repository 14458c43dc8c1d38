package dev.autotune.domain;

/**
 * Squeezes any text into one line: line breaks and tabs become single spaces, runs of blanks collapse. Every
 * message autotune shows is one line (a CLI error, an HTTP error body, a failure recorded in an event), and
 * library messages or file content quoted in them may span several; this is the one rule for all of them. It
 * sits in the domain only because every module depends on the domain.
 */
public final class OneLine {
    private OneLine() {
    }

    /** The text on one line; empty for null. */
    public static String of(String text) {
        if (text == null) {
            return "";
        }
        return text.replaceAll("[\\r\\n\\t]+", " ").replaceAll(" {2,}", " ").strip();
    }
}
