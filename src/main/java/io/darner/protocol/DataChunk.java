package io.darner.protocol;

/**
 * A piece of the data block of the current {@link Request.Set}. It points into the parser's buffer
 * and is valid only until the next call to the parser.
 */
public record DataChunk(byte[] buf, int offset, int length) implements ParseEvent {}
