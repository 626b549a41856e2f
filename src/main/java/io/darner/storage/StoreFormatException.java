package io.darner.storage;

/** The store is in an on-disk format this server does not read (see {@link StoreFormat}); it was left as it was. */
final class StoreFormatException extends StoreException {
    StoreFormatException(String message) {
        super(message);
    }
}
