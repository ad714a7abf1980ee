package dev.jxdp.maps;

import dev.jxdp.exec.MemoryFault;
import dev.jxdp.obj.MapType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A live map: storage off the Java heap, values at addresses that stay put for as long as their
 * element lives, so programs can point into them. Two faces:
 *
 * <ul>
 *   <li><b>User space</b> ({@link #lookup}, {@link #update}, {@link #delete}, {@link #nextKey},
 *       {@link #lookupAndDelete}, {@link #freeze}): the bpf() map commands with their checks and errno
 *       values, keys and values as bytes in the kernel's layout; per-CPU values are one
 *       {@code round_up(value_size, 8)} slot per worker, as bpftool reads them. Failures throw
 *       {@link MapException}; "no such element" is an empty result, as with
 *       {@code dev.jxdp.kernel.BpfMap}.
 *   <li><b>Programs</b> ({@link #lookupElem}, {@link #updateElem}, {@link #deleteElem},
 *       {@link #pushElem}, {@link #popElem}, {@link #peekElem}): what the map helpers call, on memory
 *       the program passed, returning the kernel's helper results (a value or null, 0 or -errno).
 *       They run on the packet path and take no lock for lookups.
 * </ul>
 *
 * Both may run at the same time on any number of threads. Every access to elements that deletion can
 * free happens inside an {@link Epochs} read section: runs are one section (the loaded object enters
 * it), user-space operations enter their own.
 */
public abstract sealed class EbpfMap implements AutoCloseable
        permits ArrayMap, HashTab, LpmTrie, RingBuf, QueueStack, BloomFilter, ProgArray, DevMap, CpuMap, XskMap,
        PerfEventArray, MapOfMaps {

    protected final MapDefinition def;
    protected final MapEnvironment env;
    protected final Arena arena = Arena.ofShared();
    private final String regionName;
    private volatile boolean frozen;
    private int id = -1;

    protected EbpfMap(MapDefinition def, MapEnvironment env) {
        this.def = def;
        this.env = env;
        this.regionName = "map_value " + def.name();
    }

    // ---- identity

    public MapDefinition definition() {
        return def;
    }

    public String name() {
        return def.name();
    }

    public MapType type() {
        return def.type();
    }

    public int keySize() {
        return def.keySize();
    }

    public int valueSize() {
        return def.valueSize();
    }

    public int maxEntries() {
        return def.maxEntries();
    }

    public int flags() {
        return def.flags();
    }

    /** The map's id in its {@link MapTable}, -1 before it is added. */
    public int id() {
        return id;
    }

    /** The handle programs hold for it. */
    public long handle() {
        if (id < 0) {
            throw new IllegalStateException("map " + name() + " is in no map table");
        }
        return MapHandle.of(id);
    }

    void assignId(int newId) {
        if (id >= 0) {
            throw new IllegalStateException("map " + name() + " already has id " + id);
        }
        id = newId;
    }

    /** The number of per-CPU values (workers) the map keeps; 1 except for per-CPU maps. */
    public int workers() {
        return env.workers();
    }

    public boolean frozen() {
        return frozen;
    }

    /** The region name that errors show for this map's values. */
    public String regionName() {
        return regionName;
    }

    /** How many bytes a user-space value has: per-CPU maps hold one 8-aligned slot per worker. */
    public int userValueSize() {
        return def.perCpu() ? def.valueStride() * env.workers() : def.valueSize();
    }

    // ---- user space: the bpf() commands

    /** BPF_MAP_LOOKUP_ELEM: the value at {@code key}, or empty if there is none (ENOENT). */
    public final Optional<byte[]> lookup(byte[] key) {
        return lookup(key, 0);
    }

    /** BPF_MAP_LOOKUP_ELEM with flags (0 or {@link MapFlags#F_LOCK}). */
    public final Optional<byte[]> lookup(byte[] key, long flags) {
        checkKey(key);
        if ((flags & ~MapFlags.F_LOCK) != 0) {
            throw fail("BPF_MAP_LOOKUP_ELEM", Errnos.EINVAL);
        }
        if (!canRead()) {
            throw fail("BPF_MAP_LOOKUP_ELEM", Errnos.EPERM);
        }
        if ((flags & MapFlags.F_LOCK) != 0 && def.spinLockOffset() < 0) {
            throw fail("BPF_MAP_LOOKUP_ELEM", Errnos.EINVAL);
        }
        byte[] out = new byte[userValueSize()];
        int r = inSection(() -> sysLookup(segment(key), MemorySegment.ofArray(out), flags));
        return absentOrThrow("BPF_MAP_LOOKUP_ELEM", r) ? Optional.empty() : Optional.of(out);
    }

    /**
     * BPF_MAP_LOOKUP_ELEM on a bloom filter: whether {@code value} may be in it (the kernel reads the
     * value buffer as the element to test).
     */
    public final boolean contains(byte[] value) {
        checkValue(value);
        if (!canRead()) {
            throw fail("BPF_MAP_LOOKUP_ELEM", Errnos.EPERM);
        }
        int r = inSection(() -> peekElem(MemorySegment.ofArray(value.clone())) == 0 ? 0 : -Errnos.ENOENT);
        return !absentOrThrow("BPF_MAP_LOOKUP_ELEM", r);
    }

    /** BPF_MAP_UPDATE_ELEM with BPF_ANY. */
    public final void update(byte[] key, byte[] value) {
        update(key, value, MapFlags.ANY);
    }

    /** BPF_MAP_UPDATE_ELEM with {@link MapFlags#ANY}, {@link MapFlags#NOEXIST} or {@link MapFlags#EXIST}, maybe or'ed with F_LOCK. */
    public final void update(byte[] key, byte[] value, long flags) {
        checkKey(key);
        checkValue(value);
        if (!canWrite()) {
            throw fail("BPF_MAP_UPDATE_ELEM", Errnos.EPERM);
        }
        if ((flags & MapFlags.F_LOCK) != 0 && def.spinLockOffset() < 0) {
            throw fail("BPF_MAP_UPDATE_ELEM", Errnos.EINVAL);
        }
        int r = inSection(() -> sysUpdate(segment(key), MemorySegment.ofArray(value), flags));
        if (r < 0) {
            throw fail("BPF_MAP_UPDATE_ELEM", -r);
        }
    }

    /** BPF_MAP_DELETE_ELEM: true if an element was deleted, false if there was none (ENOENT). */
    public final boolean delete(byte[] key) {
        checkKey(key);
        if (!canWrite()) {
            throw fail("BPF_MAP_DELETE_ELEM", Errnos.EPERM);
        }
        int r = inSection(() -> sysDelete(segment(key)));
        return !absentOrThrow("BPF_MAP_DELETE_ELEM", r);
    }

    /**
     * BPF_MAP_GET_NEXT_KEY: the key after {@code key} in the map's own order, the first key when
     * {@code key} is null (for hash maps, also when it is absent), or empty after the last (ENOENT).
     */
    public final Optional<byte[]> nextKey(byte[] key) {
        if (key != null) {
            checkKey(key);
        }
        if (!canRead()) {
            throw fail("BPF_MAP_GET_NEXT_KEY", Errnos.EPERM);
        }
        byte[] next = new byte[def.keySize()];
        int r = inSection(() -> sysNextKey(key == null ? null : segment(key), MemorySegment.ofArray(next)));
        return absentOrThrow("BPF_MAP_GET_NEXT_KEY", r) ? Optional.empty() : Optional.of(next);
    }

    /** All keys, by walking {@link #nextKey} from the start (as bpftool's dump does). */
    public final List<byte[]> keys() {
        List<byte[]> keys = new ArrayList<>();
        for (Optional<byte[]> k = nextKey(null); k.isPresent(); k = nextKey(k.get())) {
            keys.add(k.get());
            if (keys.size() > Math.max(1_000_000L, 4L * Integer.toUnsignedLong(def.maxEntries()))) {
                throw new IllegalStateException("map " + name() + ": get_next_key does not end");
            }
        }
        return keys;
    }

    /**
     * BPF_MAP_LOOKUP_AND_DELETE_ELEM: for queues and stacks the pop ({@code key} null), for hash maps
     * the value of {@code key} as it is deleted; empty when there is none (ENOENT).
     */
    public final Optional<byte[]> lookupAndDelete(byte[] key) {
        return lookupAndDelete(key, 0);
    }

    public final Optional<byte[]> lookupAndDelete(byte[] key, long flags) {
        if (def.keySize() != 0 || key != null) {
            checkKey(key);
        }
        if ((flags & ~MapFlags.F_LOCK) != 0) {
            throw fail("BPF_MAP_LOOKUP_AND_DELETE_ELEM", Errnos.EINVAL);
        }
        if (flags != 0 && (def.type() == MapType.QUEUE || def.type() == MapType.STACK)) {
            throw fail("BPF_MAP_LOOKUP_AND_DELETE_ELEM", Errnos.EINVAL);
        }
        if (!canRead() || !canWrite()) {
            throw fail("BPF_MAP_LOOKUP_AND_DELETE_ELEM", Errnos.EPERM);
        }
        if (flags != 0 && def.spinLockOffset() < 0) {
            throw fail("BPF_MAP_LOOKUP_AND_DELETE_ELEM", Errnos.EINVAL);
        }
        byte[] out = new byte[userValueSize()];
        int r = inSection(() -> sysLookupAndDelete(key == null ? null : segment(key), MemorySegment.ofArray(out), flags));
        return absentOrThrow("BPF_MAP_LOOKUP_AND_DELETE_ELEM", r) ? Optional.empty() : Optional.of(out);
    }

    /**
     * BPF_MAP_FREEZE: no more changes from user space (programs still write, unless the map is
     * BPF_F_RDONLY_PROG). Again: EBUSY; a map whose values hold a spin lock: ENOTSUPP.
     */
    public final synchronized void freeze() {
        if (def.spinLockOffset() >= 0) {
            throw fail("BPF_MAP_FREEZE", Errnos.ENOTSUPP);
        }
        if (!canWrite()) {
            throw fail("BPF_MAP_FREEZE", Errnos.EPERM);
        }
        if (frozen) {
            throw fail("BPF_MAP_FREEZE", Errnos.EBUSY);
        }
        frozen = true;
    }

    /** map_get_sys_perms: BPF_F_WRONLY takes reading away from user space. */
    private boolean canRead() {
        return (def.flags() & MapFlags.WRONLY) == 0;
    }

    /** map_get_sys_perms: BPF_F_RDONLY, or a frozen map, takes writing away from user space. */
    private boolean canWrite() {
        return (def.flags() & MapFlags.RDONLY) == 0 && !frozen;
    }

    // ---- what each map type implements for user space (0 or -errno)

    /** Copies the value of {@code key} to {@code out} ({@link #userValueSize()} bytes). */
    abstract int sysLookup(MemorySegment key, MemorySegment out, long flags);

    abstract int sysUpdate(MemorySegment key, MemorySegment value, long flags);

    abstract int sysDelete(MemorySegment key);

    /** {@code key} null: the first key. */
    abstract int sysNextKey(MemorySegment key, MemorySegment next);

    int sysLookupAndDelete(MemorySegment key, MemorySegment out, long flags) {
        return -Errnos.ENOTSUPP;
    }

    // ---- programs: what the map helpers call

    /**
     * bpf_map_lookup_elem: the value of {@code key} (this worker's, for per-CPU maps), or null. The
     * segment is the value's own memory, which the program may write through.
     *
     * @throws MemoryFault if programs cannot look up this map type (the kernel's verifier refuses it)
     */
    public MemorySegment lookupElem(MemorySegment key, int worker) {
        throw unsupported("bpf_map_lookup_elem");
    }

    /** bpf_map_update_elem: 0 or -errno. */
    public long updateElem(MemorySegment key, MemorySegment value, long flags, int worker) {
        throw unsupported("bpf_map_update_elem");
    }

    /** bpf_map_delete_elem: 0 or -errno. */
    public long deleteElem(MemorySegment key, int worker) {
        throw unsupported("bpf_map_delete_elem");
    }

    /** bpf_map_push_elem: 0 or -errno. */
    public long pushElem(MemorySegment value, long flags) {
        throw unsupported("bpf_map_push_elem");
    }

    /** bpf_map_pop_elem: copies the element to {@code out}; 0 or -errno. */
    public long popElem(MemorySegment out) {
        throw unsupported("bpf_map_pop_elem");
    }

    /** bpf_map_peek_elem: 0 or -errno. */
    public long peekElem(MemorySegment out) {
        throw unsupported("bpf_map_peek_elem");
    }

    /**
     * bpf_for_each_map_elem: calls {@code visitor} with each element's key and value (this worker's, for
     * per-CPU maps) until it returns false; returns how many it called.
     */
    public long forEach(int worker, ElementVisitor visitor) {
        throw unsupported("bpf_for_each_map_elem");
    }

    /** What {@link #forEach} calls: return true to go on. */
    @FunctionalInterface
    public interface ElementVisitor {
        boolean visit(MemorySegment key, MemorySegment value);
    }

    /** Programs may write this map's values unless it is BPF_F_RDONLY_PROG. */
    public boolean programWritable() {
        return (def.flags() & MapFlags.RDONLY_PROG) == 0;
    }

    protected MemoryFault unsupported(String helper) {
        return new MemoryFault(helper + " on " + def.type().bpftoolName() + " map '" + name()
                + "' (the kernel's verifier refuses this map type for it)");
    }

    /** Frees the map's memory; programs must not run on it any more. */
    @Override
    public void close() {
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }

    // ---- shared plumbing

    protected MapException fail(String command, int errno) {
        return new MapException(name(), command, errno);
    }

    /** True for ENOENT, nothing for success, throws for any other error. */
    private boolean absentOrThrow(String command, int r) {
        if (r == -Errnos.ENOENT) {
            return true;
        }
        if (r < 0) {
            throw fail(command, -r);
        }
        return false;
    }

    private void checkKey(byte[] key) {
        if (key == null && def.keySize() == 0) {
            return;
        }
        if (key == null || key.length != def.keySize()) {
            throw new IllegalArgumentException("map " + name() + ": key is " + (key == null ? "missing" : key.length + " bytes")
                    + ", the map's are " + def.keySize());
        }
    }

    private void checkValue(byte[] value) {
        int size = userValueSize();
        if (value == null || value.length != size) {
            throw new IllegalArgumentException("map " + name() + ": value is " + (value == null ? "missing" : value.length + " bytes")
                    + ", the map's are " + size + (def.perCpu() ? " (" + def.valueStride() + " per worker, " + env.workers() + " workers)" : ""));
        }
    }

    private static MemorySegment segment(byte[] bytes) {
        return bytes == null ? null : MemorySegment.ofArray(bytes);
    }

    /** Runs {@code op} in an epoch read section of this thread. */
    protected final int inSection(java.util.function.IntSupplier op) {
        env.epochs().enter();
        try {
            return op.getAsInt();
        } finally {
            env.epochs().exit();
        }
    }

    /** The index an array-like map's 4-byte key names. */
    protected static int index(MemorySegment key) {
        return key.get(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, 0);
    }

    /** array_map_get_next_key: 0 for no key or one past the end, ENOENT after the last, else the next index. */
    protected int arrayNextKey(MemorySegment key, MemorySegment next) {
        long max = Integer.toUnsignedLong(def.maxEntries());
        long i = key == null ? max : Integer.toUnsignedLong(index(key));
        if (i >= max) {
            next.set(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, 0, 0);
            return 0;
        }
        if (i == max - 1) {
            return -Errnos.ENOENT;
        }
        next.set(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, 0, (int) (i + 1));
        return 0;
    }

    @Override
    public String toString() {
        return def.type().bpftoolName() + " map '" + name() + "'";
    }
}
