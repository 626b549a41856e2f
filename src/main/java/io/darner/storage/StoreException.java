package io.darner.storage;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The store could not do what was asked (an I/O error, a full disk, a damaged file). Nothing was
 * half-written. An {@link UncheckedIOException}, so that the layers above the queue layer (the
 * listener, the admin API) handle store failures without depending on this package.
 */
public class StoreException extends UncheckedIOException {
    public StoreException(String message) {
        super(message, new IOException(message));
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause instanceof IOException io ? io : new IOException(message, cause));
    }
}
