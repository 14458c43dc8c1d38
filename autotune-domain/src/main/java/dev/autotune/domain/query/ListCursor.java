package dev.autotune.domain.query;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Where the next page of a sorted list starts: after this experiment, in this order. The API hands it out as an
 * opaque token ({@code next}) and takes it back as {@code after=}. Unlike an offset it names a row, not a
 * position, so experiments recorded between two requests neither repeat a row on the next page nor push one past
 * it.
 */
public record ListCursor(String sortKey, boolean descending, int number) {
    private static final String VERSION = "c1";

    public String encode() {
        String text = VERSION + "\n" + sortKey + "\n" + (descending ? "desc" : "asc") + "\n" + number;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The cursor a token stands for, which must be one for this sort: a token from another order would start the
     * page at a meaningless place.
     *
     * @throws IllegalArgumentException when the token is not one this list handed out for this order
     */
    public static ListCursor decode(String token, ListSort sort) {
        String[] parts;
        try {
            parts = new String(Base64.getUrlDecoder().decode(token.trim()), StandardCharsets.UTF_8).split("\n", -1);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + excerpt(token) + "' is not a cursor this list handed out"
                    + " (pass the 'next' of the previous page)");
        }
        if (parts.length != 4 || !parts[0].equals(VERSION) || !parts[3].matches("\\d{1,9}")
                || !(parts[2].equals("asc") || parts[2].equals("desc"))) {
            throw new IllegalArgumentException("'" + excerpt(token) + "' is not a cursor this list handed out"
                    + " (pass the 'next' of the previous page)");
        }
        ListCursor cursor = new ListCursor(parts[1], parts[2].equals("desc"), Integer.parseInt(parts[3]));
        if (!cursor.sortKey.equals(sort.key()) || cursor.descending != sort.descending()) {
            throw new IllegalArgumentException("the cursor continues the list sorted by " + cursor.sortKey + " "
                    + parts[2] + ", not by " + sort.key() + (sort.descending() ? " desc" : " asc")
                    + "; ask with the same sort and order");
        }
        return cursor;
    }

    /** Tokens are echoed in errors, shortened: they come from the request. */
    private static String excerpt(String token) {
        String t = token.replaceAll("\\s", "");
        return t.length() > 40 ? t.substring(0, 40) + "..." : t;
    }
}
