package io.darner.storage;

/** The store could not do what was asked (an I/O error, a full disk, a damaged file). Nothing was half-written. */
public class StoreException extends RuntimeException {
    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
