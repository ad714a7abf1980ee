package dev.jxdp.kernel;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A kernel map, obtained from {@link Bpf#createMap}. Keys and values are raw bytes of exactly the
 * spec's sizes, in the layout the programs use (host byte order for numbers); per-CPU values are one
 * 8-aligned slot per possible CPU ({@link MapSpec#userValueSize()}). Maps without keys (queues,
 * stacks, bloom filters) take a null key.
 */
public final class BpfMap extends BpfFd {
    /** BPF_ANY: create the element or update it. */
    public static final long ANY = 0;
    /** BPF_NOEXIST: create only; EEXIST if the key is present. */
    public static final long NOEXIST = 1;
    /** BPF_EXIST: update only; ENOENT if the key is absent. */
    public static final long EXIST = 2;
    /** BPF_F_LOCK: take the value's bpf_spin_lock. */
    public static final long F_LOCK = 4;

    private final MapSpec spec;

    BpfMap(int fd, MapSpec spec) {
        super(fd);
        this.spec = spec;
    }

    public MapSpec spec() {
        return spec;
    }

    /** BPF_MAP_LOOKUP_ELEM: the value at {@code key}, or empty if there is none (ENOENT). */
    public Optional<byte[]> lookup(byte[] key) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(Math.max(spec.userValueSize(), 1));
            Struct attr = elem(arena, key).putPointer("value", value);
            if (absent(BpfCommand.MAP_LOOKUP_ELEM, attr)) {
                return Optional.empty();
            }
            return Optional.of(value.asSlice(0, spec.userValueSize()).toArray(ValueLayout.JAVA_BYTE));
        }
    }

    /** BPF_MAP_UPDATE_ELEM with BPF_ANY. */
    public void update(byte[] key, byte[] value) {
        update(key, value, ANY);
    }

    /** BPF_MAP_UPDATE_ELEM with {@link #ANY}, {@link #NOEXIST} or {@link #EXIST}, possibly or'ed with {@link #F_LOCK}. */
    public void update(byte[] key, byte[] value, long flags) {
        checkSize("value", value, spec.userValueSize());
        try (Arena arena = Arena.ofConfined()) {
            Struct attr = elem(arena, key)
                    .putPointer("value", arena.allocateFrom(ValueLayout.JAVA_BYTE, value))
                    .putLong("flags", flags);
            BpfSyscall.check(BpfCommand.MAP_UPDATE_ELEM, attr);
        }
    }

    /** BPF_MAP_DELETE_ELEM: true if an element was deleted, false if there was none (ENOENT). */
    public boolean delete(byte[] key) {
        try (Arena arena = Arena.ofConfined()) {
            return !absent(BpfCommand.MAP_DELETE_ELEM, elem(arena, key));
        }
    }

    /**
     * BPF_MAP_GET_NEXT_KEY: the key after {@code key} in the map's own order, the first key when
     * {@code key} is null (or, for hash maps, absent), or empty after the last (ENOENT).
     */
    public Optional<byte[]> nextKey(byte[] key) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment next = arena.allocate(Math.max(spec.keySize(), 1));
            Struct attr = (key == null ? elem(arena) : elem(arena, key)).putPointer("value", next); // value is next_key
            if (absent(BpfCommand.MAP_GET_NEXT_KEY, attr)) {
                return Optional.empty();
            }
            return Optional.of(next.asSlice(0, spec.keySize()).toArray(ValueLayout.JAVA_BYTE));
        }
    }

    /**
     * BPF_MAP_LOOKUP_ELEM on a bloom filter: whether {@code value} may be in it (the kernel reads the
     * value buffer as the element to test); false for ENOENT.
     */
    public boolean contains(byte[] value) {
        checkSize("value", value, spec.valueSize());
        try (Arena arena = Arena.ofConfined()) {
            Struct attr = elem(arena, null).putPointer("value", arena.allocateFrom(ValueLayout.JAVA_BYTE, value));
            return !absent(BpfCommand.MAP_LOOKUP_ELEM, attr);
        }
    }

    /**
     * BPF_MAP_LOOKUP_AND_DELETE_ELEM: the value at {@code key} as it is deleted (for queues and stacks,
     * {@code key} null: the pop), or empty if there is none (ENOENT).
     */
    public Optional<byte[]> lookupAndDelete(byte[] key) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(Math.max(spec.userValueSize(), 1));
            Struct attr = elem(arena, key).putPointer("value", value);
            if (absent(BpfCommand.MAP_LOOKUP_AND_DELETE_ELEM, attr)) {
                return Optional.empty();
            }
            return Optional.of(value.asSlice(0, spec.userValueSize()).toArray(ValueLayout.JAVA_BYTE));
        }
    }

    /** BPF_MAP_FREEZE: no more changes from user space. */
    public void freeze() {
        try (Arena arena = Arena.ofConfined()) {
            BpfSyscall.check(BpfCommand.MAP_FREEZE, elem(arena));
        }
    }

    /** All keys, by walking GET_NEXT_KEY from the start. */
    public List<byte[]> keys() {
        List<byte[]> keys = new ArrayList<>();
        for (Optional<byte[]> k = nextKey(null); k.isPresent(); k = nextKey(k.get())) {
            keys.add(k.get());
        }
        return keys;
    }

    private Struct elem(Arena arena) {
        return new Struct(arena, Layouts.MAP_ELEM).putInt("map_fd", fd());
    }

    private Struct elem(Arena arena, byte[] key) {
        if (key == null && spec.keySize() == 0) {
            return elem(arena);
        }
        checkSize("key", key, spec.keySize());
        return elem(arena).putPointer("key", arena.allocateFrom(ValueLayout.JAVA_BYTE, key));
    }

    /** Runs the command; true if it failed with ENOENT, throws on any other failure. */
    private static boolean absent(BpfCommand command, Struct attr) {
        Libc.Result r = BpfSyscall.call(command, attr);
        if (!r.failed()) {
            return false;
        }
        if (r.errno() == Errno.ENOENT) {
            return true;
        }
        throw BpfException.of(command, Errno.of(r.errno()), null);
    }

    private static void checkSize(String what, byte[] bytes, int size) {
        if (bytes.length != size) {
            throw new IllegalArgumentException(what + " is " + bytes.length + " bytes, the map's are " + size);
        }
    }

    @Override
    public String toString() {
        return spec.type() + " map \"" + spec.name() + "\"";
    }
}
