package dev.autotune.store;

/** A problem with the event store that the user can act on; the message is one line. */
public class StoreException extends RuntimeException {
    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
