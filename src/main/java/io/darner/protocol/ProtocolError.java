package io.darner.protocol;

/**
 * A request the parser refused. {@code reply} is the whole reply line without its terminator;
 * {@code close} says the connection must be closed after it (the stream position is lost, or the
 * spec demands it so that open reads roll back).
 */
public record ProtocolError(String reply, boolean close) implements ParseEvent {

    public static ProtocolError client(String reason, boolean close) {
        return new ProtocolError("CLIENT_ERROR " + reason, close);
    }

    public static ProtocolError server(String reason, boolean close) {
        return new ProtocolError("SERVER_ERROR " + reason, close);
    }
}
