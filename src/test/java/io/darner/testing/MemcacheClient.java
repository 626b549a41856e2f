package io.darner.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A deliberately simple blocking client for tests: send raw bytes, read reply lines and values
 * exactly as they arrive. Every read has a timeout so a broken server fails the test, not hangs it.
 */
public final class MemcacheClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public MemcacheClient(int port) throws IOException {
        this(plainSocket(port));
    }

    /** A client on a connected socket (a TLS one, say); its reads must have a timeout. */
    public MemcacheClient(Socket socket) throws IOException {
        this.socket = socket;
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    private static Socket plainSocket(int port) throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(10_000);
        return socket;
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

    /** {@code set <key> <flags> <exptime> <n>} with the data, in one write; returns the reply line. */
    public String set(String key, long flags, long exptime, byte[] data) throws IOException {
        send(setRequest(key, flags, exptime, data, ""));
        return readLine();
    }

    /** The bytes of a whole set request; {@code suffix} is appended to the command line (" noreply"). */
    public static byte[] setRequest(String key, long flags, long exptime, byte[] data, String suffix) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(data.length + 64);
        b.writeBytes(("set " + key + " " + flags + " " + exptime + " " + data.length + suffix + "\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        b.writeBytes(data);
        b.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        return b.toByteArray();
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
        Item item = readItem();
        return item == null ? null : item.data();
    }

    /** One {@code VALUE} block as received: the key, the flags and the data. */
    public record Item(String key, long flags, byte[] data) {
        public String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    /** Reads {@code VALUE ... END} and returns the item, or null for a bare {@code END}. */
    public Item readItem() throws IOException {
        List<Item> items = readItems();
        if (items.size() > 1) {
            throw new IOException("expected one VALUE, got " + items.size());
        }
        return items.isEmpty() ? null : items.get(0);
    }

    /** Reads any number of {@code VALUE} blocks up to {@code END} (the reply of a multi-key get). */
    public List<Item> readItems() throws IOException {
        List<Item> items = new ArrayList<>();
        String line;
        while (!(line = readLine()).equals("END")) {
            if (!line.startsWith("VALUE ")) {
                throw new IOException("expected VALUE or END, got: " + line);
            }
            String[] parts = line.split(" ");
            int length = Integer.parseInt(parts[3]);
            byte[] data = in.readNBytes(length);
            if (data.length != length) {
                throw new IOException("connection closed after " + data.length + " of " + length + " data bytes");
            }
            String crlf = readLine();
            if (!crlf.isEmpty()) {
                throw new IOException("data not followed by CRLF: " + crlf);
            }
            items.add(new Item(parts[1], Long.parseLong(parts[2]), data));
        }
        return items;
    }

    /** Exactly {@code n} bytes of the reply stream (the data of a VALUE read line by line). */
    public byte[] readBytes(int n) throws IOException {
        byte[] data = in.readNBytes(n);
        if (data.length != n) {
            throw new IOException("connection closed after " + data.length + " of " + n + " bytes");
        }
        return data;
    }

    /** Reads reply lines up to and including {@code END}; returns them without the {@code END}. */
    public List<String> readLinesUntilEnd() throws IOException {
        List<String> lines = new ArrayList<>();
        String line;
        while (!(line = readLine()).equals("END")) {
            lines.add(line);
        }
        return lines;
    }

    /**
     * The fields of one queue as {@code dump_stats <q>} lists them (the same figures as the
     * {@code queue_<q>_*} lines of stats, without listing every queue of the server); empty if
     * there is no such queue.
     */
    public Map<String, Long> queueStats(String queue) throws IOException {
        send("dump_stats " + queue + "\r\n");
        List<String> lines = readLinesUntilEnd();
        Map<String, Long> fields = new LinkedHashMap<>();
        if (lines.isEmpty()) {
            return fields;
        }
        if (!lines.get(0).equals("queue '" + queue + "' {") || !lines.get(lines.size() - 1).equals("}")) {
            throw new IOException("not the dump_stats of queue " + queue + ": " + lines);
        }
        for (String line : lines.subList(1, lines.size() - 1)) {
            String[] parts = line.strip().split("=", 2);
            if (!parts[0].equals("children")) { // the one field that is not a number: a list of names
                fields.put(parts[0], Long.parseLong(parts[1]));
            }
        }
        return fields;
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
