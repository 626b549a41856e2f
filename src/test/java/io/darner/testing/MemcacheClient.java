package io.darner.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A deliberately simple blocking client for tests: send raw bytes, read reply lines and values
 * exactly as they arrive. Every read has a timeout so a broken server fails the test, not hangs it.
 */
public final class MemcacheClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public MemcacheClient(int port) throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(10_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    public MemcacheClient send(String s) throws IOException {
        return send(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    public MemcacheClient send(byte[] b) throws IOException {
        out.write(b);
        out.flush();
        return this;
    }

    /** Sends a request line (CRLF added) and returns the first reply line. */
    public String call(String line) throws IOException {
        send(line + "\r\n");
        return readLine();
    }

    /** {@code set q 0 0 n} with the data; returns the reply line. */
    public String set(String queue, String data) throws IOException {
        return set(queue, data.getBytes(StandardCharsets.UTF_8));
    }

    public String set(String queue, byte[] data) throws IOException {
        send("set " + queue + " 0 0 " + data.length + "\r\n");
        send(data);
        send("\r\n");
        return readLine();
    }

    /** Sends a get and returns the value as text, or null on {@code END}. */
    public String get(String key) throws IOException {
        byte[] v = getBytes(key);
        return v == null ? null : new String(v, StandardCharsets.UTF_8);
    }

    public byte[] getBytes(String key) throws IOException {
        send("get " + key + "\r\n");
        return readValue();
    }

    /** Reads {@code VALUE ... END} and returns the data, or null for a bare {@code END}. */
    public byte[] readValue() throws IOException {
        String line = readLine();
        if (line.equals("END")) {
            return null;
        }
        if (!line.startsWith("VALUE ")) {
            throw new IOException("expected VALUE or END, got: " + line);
        }
        String[] parts = line.split(" ");
        byte[] data = in.readNBytes(Integer.parseInt(parts[3]));
        String crlf = readLine();
        if (!crlf.isEmpty()) {
            throw new IOException("data not followed by CRLF: " + crlf);
        }
        String end = readLine();
        if (!end.equals("END")) {
            throw new IOException("expected END, got: " + end);
        }
        return data;
    }

    /** One reply line without its CRLF; fails if the line does not end in CRLF. */
    public String readLine() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                byte[] line = b.toByteArray();
                if (line.length == 0 || line[line.length - 1] != '\r') {
                    throw new IOException("reply line not ended by CRLF: " + b);
                }
                return new String(line, 0, line.length - 1, StandardCharsets.ISO_8859_1);
            }
            b.write(c);
        }
        throw new IOException("connection closed" + (b.size() > 0 ? " after: " + b : ""));
    }

    /** True if the server closed the connection (reads EOF within the timeout). */
    public boolean isClosedByServer() throws IOException {
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    public void setTimeout(int ms) throws IOException {
        socket.setSoTimeout(ms);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
