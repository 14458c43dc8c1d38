package dev.autotune.runner.config;

/** Squeezes any text into one line: line breaks and tabs become single spaces, runs of blanks collapse. */
public final class OneLine {
    private OneLine() {
    }

    public static String of(String text) {
        if (text == null) {
            return "";
        }
        return text.replaceAll("[\\r\\n\\t]+", " ").replaceAll(" {2,}", " ").strip();
    }
}
