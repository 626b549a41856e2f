package io.darner.protocol;

/** What {@link RequestParser#next()} hands out: a request, a piece of a set's data, its end, or an error. */
public sealed interface ParseEvent permits Request, DataChunk, DataEnd, ProtocolError {}
