package io.darner.storage;

import org.fusesource.leveldbjni.internal.JniDB;
import org.fusesource.leveldbjni.internal.NativeBuffer;
import org.fusesource.leveldbjni.internal.NativeDB;
import org.fusesource.leveldbjni.internal.NativeWriteOptions;
import org.iq80.leveldb.DB;
import org.iq80.leveldb.DBException;
import org.jboss.logging.Logger;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;

/**
 * The put of an inline item and the delete of an item key, on a serving thread, straight through
 * leveldbjni's native calls (issue 12: the store's part of every set and get). Through the
 * {@link DB} interface each such write makes its write options twice, a native buffer and a slice
 * for the key and for the value, and a status object; copies each buffer into native memory with
 * its own JNI call; and takes both buffers from the thread's pool and back. Here each serving thread
 * keeps one Java array and one native buffer: the key and the record are encoded into the array
 * side by side, copied over in one call, and two slices the thread keeps point into it. The write
 * itself, and the exception for a failed one, are leveldbjni's own code, as before.
 *
 * <p>This uses leveldbjni 1.8's non-public members (the database's native pointer, {@code DBJNI.Put}
 * and {@code Delete}, {@code NativeSlice}, the status calls and {@code NativeDB.checkStatus}),
 * looked up once. Where one is missing, or the store is not leveldbjni's (the Java engine, a test's
 * decorated store), there is no {@code JniWrites} and every write goes through the {@link DB}
 * interface.
 */
final class JniWrites {
    private static final Logger LOG = Logger.getLogger(JniWrites.class);
    /** The largest key and record written this way; larger ones go through the {@link DB} interface. */
    static final int CAPACITY = 8 * 1024;
    private static final Handles HANDLES = Handles.find();
    /** A serving thread's buffers, once {@link #serveOnThisThread()} ran on it; null elsewhere. */
    private static final ThreadLocal<Scratch> SCRATCH = new ThreadLocal<>();

    private final NativeDB nativeDb;
    private final long pointer;
    private final NativeWriteOptions options = new NativeWriteOptions();

    private JniWrites(NativeDB nativeDb, long pointer) {
        this.nativeDb = nativeDb;
        this.pointer = pointer;
    }

    /** The direct writes into {@code db}, or null when it is not leveldbjni's or leveldbjni is not as expected. */
    static JniWrites of(DB db) {
        if (HANDLES == null || !(db instanceof JniDB)) {
            return null;
        }
        try {
            NativeDB nativeDb = (NativeDB) HANDLES.nativeDb.invoke((JniDB) db);
            return new JniWrites(nativeDb, (long) HANDLES.pointer.invoke(nativeDb));
        } catch (Throwable e) {
            LOG.debugf("leveldbjni's database pointer not found (%s): writes go through its DB interface", e);
            return null;
        }
    }

    /** Gives the calling thread its buffers (a serving thread: they are kept as long as it lives). */
    static void serveOnThisThread() {
        if (HANDLES != null && SCRATCH.get() == null) {
            SCRATCH.set(new Scratch());
        }
    }

    /**
     * Puts the record of an inline item under its key; false (nothing written) when the calling
     * thread is not a serving thread or the record is too large for its buffer.
     */
    boolean putItem(long qid, long seq, ItemRecord record) {
        Scratch s = SCRATCH.get();
        if (s == null) {
            return false;
        }
        int length = record.encodedLength();
        if (Keys.ITEM_KEY_LENGTH + length > CAPACITY) {
            return false;
        }
        Keys.item(qid, seq, s.bytes, 0);
        record.encodeInto(s.bytes, Keys.ITEM_KEY_LENGTH);
        s.copy(Keys.ITEM_KEY_LENGTH + length);
        try {
            HANDLES.sliceSize.invokeExact(s.value, (long) length);
            checkOpen();
            check((long) HANDLES.put.invokeExact(pointer, options, s.key, s.value));
        } catch (Throwable e) {
            throw asDbException(e);
        }
        return true;
    }

    /** Deletes an item's key; false (nothing written) when the calling thread is not a serving thread. */
    boolean deleteItem(long qid, long seq) {
        Scratch s = SCRATCH.get();
        if (s == null) {
            return false;
        }
        Keys.item(qid, seq, s.bytes, 0);
        s.copy(Keys.ITEM_KEY_LENGTH);
        try {
            checkOpen();
            check((long) HANDLES.delete.invokeExact(pointer, options, s.key));
        } catch (Throwable e) {
            throw asDbException(e);
        }
        return true;
    }

    /** Frees the status LevelDB returned; throws leveldbjni's exception for one that is not OK. */
    private static void check(long status) throws Throwable {
        if ((boolean) HANDLES.statusOk.invokeExact(status)) {
            HANDLES.deleteStatus.invokeExact(status);
        } else {
            HANDLES.checkStatus.invokeExact(status); // makes leveldbjni's exception, frees the status
        }
    }

    /** As leveldbjni's own calls check: a closed database's pointer is freed. */
    private void checkOpen() {
        if (!nativeDb.isAllocated()) {
            throw new DBException("Closed");
        }
    }

    /** The exception leveldbjni's {@link DB} interface would throw for the same failure. */
    private static RuntimeException asDbException(Throwable e) {
        if (e instanceof RuntimeException r) {
            return r;
        }
        if (e instanceof Error err) {
            throw err;
        }
        return new DBException(e.getMessage(), e);
    }

    /**
     * One serving thread's array, native buffer and slices: the key is always the buffer's first
     * {@link Keys#ITEM_KEY_LENGTH} bytes and the record follows it, so only the record's length
     * changes from one write to the next.
     */
    private static final class Scratch {
        final byte[] bytes = new byte[CAPACITY];
        final NativeBuffer buffer = NativeBuffer.create(CAPACITY);
        final Object key;
        final Object value;

        Scratch() {
            try {
                long address = (long) HANDLES.pointer.invoke(buffer);
                key = HANDLES.newSlice.invoke();
                HANDLES.sliceData.invokeExact(key, address);
                HANDLES.sliceSize.invokeExact(key, (long) Keys.ITEM_KEY_LENGTH);
                value = HANDLES.newSlice.invoke();
                HANDLES.sliceData.invokeExact(value, address + Keys.ITEM_KEY_LENGTH);
            } catch (Throwable e) {
                throw new IllegalStateException("leveldbjni's slices", e);
            }
        }

        void copy(int length) {
            buffer.write(0, bytes, 0, length);
        }
    }

    /** leveldbjni's members this needs, as method handles of erased types. */
    private record Handles(MethodHandle nativeDb, MethodHandle pointer, MethodHandle newSlice, MethodHandle sliceData,
                           MethodHandle sliceSize,
                           MethodHandle put, MethodHandle delete, MethodHandle statusOk, MethodHandle deleteStatus,
                           MethodHandle checkStatus) {
        static Handles find() {
            try {
                MethodHandles.Lookup lookup = MethodHandles.lookup();
                Class<?> slice = Class.forName("org.fusesource.leveldbjni.internal.NativeSlice");
                Class<?> jni = Class.forName("org.fusesource.leveldbjni.internal.NativeDB$DBJNI");
                Class<?> nativeObject = Class.forName("org.fusesource.leveldbjni.internal.NativeObject");
                Field db = accessible(JniDB.class.getDeclaredField("db"));
                Method pointer = accessible(nativeObject.getDeclaredMethod("pointer"));
                Constructor<?> newSlice = accessible(slice.getDeclaredConstructor());
                Method data = accessible(slice.getDeclaredMethod("data", long.class));
                Method size = accessible(slice.getDeclaredMethod("size", long.class));
                Method put = accessible(jni.getDeclaredMethod("Put", long.class, NativeWriteOptions.class, slice, slice));
                Method delete = accessible(jni.getDeclaredMethod("Delete", long.class, NativeWriteOptions.class, slice));
                Class<?> status = Class.forName("org.fusesource.leveldbjni.internal.NativeStatus$StatusJNI");
                Method statusOk = accessible(status.getDeclaredMethod("ok", long.class));
                Method deleteStatus = accessible(status.getDeclaredMethod("delete", long.class));
                Method checkStatus = accessible(NativeDB.class.getDeclaredMethod("checkStatus", long.class));
                return new Handles(
                        lookup.unreflectGetter(db).asType(MethodType.methodType(Object.class, Object.class)),
                        lookup.unreflect(pointer).asType(MethodType.methodType(long.class, Object.class)),
                        lookup.unreflectConstructor(newSlice).asType(MethodType.methodType(Object.class)),
                        lookup.unreflect(data).asType(MethodType.methodType(void.class, Object.class, long.class)),
                        lookup.unreflect(size).asType(MethodType.methodType(void.class, Object.class, long.class)),
                        lookup.unreflect(put).asType(MethodType.methodType(long.class, long.class,
                                NativeWriteOptions.class, Object.class, Object.class)),
                        lookup.unreflect(delete).asType(MethodType.methodType(long.class, long.class,
                                NativeWriteOptions.class, Object.class)),
                        lookup.unreflect(statusOk), lookup.unreflect(deleteStatus), lookup.unreflect(checkStatus));
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                LOG.debugf("leveldbjni's internals not as expected (%s): writes go through its DB interface", e);
                return null;
            }
        }

        private static <T extends AccessibleObject> T accessible(T member) {
            member.setAccessible(true);
            return member;
        }
    }
}
