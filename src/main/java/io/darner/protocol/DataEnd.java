package io.darner.protocol;

/** The data block of the current set ended with {@code \r\n}: the item is complete. */
public record DataEnd() implements ParseEvent {
    public static final DataEnd INSTANCE = new DataEnd();
}
