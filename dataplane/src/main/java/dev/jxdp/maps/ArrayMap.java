package dev.jxdp.maps;

import dev.jxdp.exec.MemoryFault;
import dev.jxdp.obj.MapType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * BPF_MAP_TYPE_ARRAY and PERCPU_ARRAY (kernel/bpf/arraymap.c): {@code max_entries} zeroed values of
 * {@code round_up(value_size, 8)} bytes each in one off-heap block, indexed by a u32 key; per-CPU
 * arrays keep one such value per worker. Elements always exist: updates overwrite in place (so a
 * program's pointer sees them), BPF_NOEXIST is EEXIST, an index past the end is E2BIG, and delete is
 * EINVAL. No element is ever freed, so nothing here needs the epoch.
 */
public final class ArrayMap extends EbpfMap {
    /** PCPU_MIN_UNIT_SIZE: the largest per-CPU value the kernel's percpu allocator hands out. */
    static final int PCPU_MIN_UNIT_SIZE = 32 << 10;

    private final boolean perCpu;
    private final int stride;
    private final int copies;
    private final MemorySegment values;

    ArrayMap(MapDefinition def, MapEnvironment env) {
        super(def, env);
        this.perCpu = def.type() == MapType.PERCPU_ARRAY;
        this.stride = def.valueStride();
        this.copies = perCpu ? env.workers() : 1;
        long bytes = (long) stride * copies * Integer.toUnsignedLong(def.maxEntries());
        this.values = arena.allocate(Math.max(bytes, 8), 64);
    }

    /** array_map_alloc_check, for ARRAY and PERCPU_ARRAY. */
    static int check(MapDefinition def) {
        boolean percpu = def.type() == MapType.PERCPU_ARRAY;
        int allowed = MapFlags.NUMA_NODE | MapFlags.MMAPABLE | MapFlags.ACCESS_MASK | MapFlags.PRESERVE_ELEMS | MapFlags.INNER_MAP;
        if (def.maxEntries() == 0 || def.keySize() != 4 || def.valueSize() == 0 || (def.flags() & ~allowed) != 0
                || !MapFlags.accessOk(def.flags()) || percpu && (def.flags() & MapFlags.NUMA_NODE) != 0) {
            return -Errnos.EINVAL;
        }
        if (def.type() != MapType.ARRAY && (def.flags() & (MapFlags.MMAPABLE | MapFlags.INNER_MAP)) != 0) {
            return -Errnos.EINVAL;
        }
        if (def.type() != MapType.PERF_EVENT_ARRAY && (def.flags() & MapFlags.PRESERVE_ELEMS) != 0) {
            return -Errnos.EINVAL;
        }
        if (Integer.toUnsignedLong(def.valueSize()) > Integer.MAX_VALUE) {
            return -Errnos.E2BIG;
        }
        if (percpu && def.valueStride() > PCPU_MIN_UNIT_SIZE) {
            return -Errnos.E2BIG;
        }
        return 0;
    }

    private long offset(int index, int worker) {
        return ((long) index * copies + worker) * stride;
    }

    private boolean inRange(int index) {
        return Integer.compareUnsigned(index, def.maxEntries()) < 0;
    }

    /** The value at {@code index} (worker {@code worker}'s, for per-CPU arrays) as its own segment. */
    public MemorySegment value(int index, int worker) {
        if (!inRange(index)) {
            throw new IndexOutOfBoundsException("index " + Integer.toUnsignedString(index) + " of " + this);
        }
        return values.asSlice(offset(index, perCpu ? worker : 0), def.valueSize());
    }

    // ---- user space

    @Override
    int sysLookup(MemorySegment key, MemorySegment out, long flags) {
        int i = index(key);
        if (!inRange(i)) {
            return -Errnos.ENOENT;
        }
        if (perCpu) {
            // bpf_percpu_array_copy: each worker's whole 8-aligned slot.
            for (int w = 0; w < copies; w++) {
                Values.copyOut(def, values, offset(i, w), out, (long) w * stride, stride, false);
            }
        } else {
            Values.copyOut(def, values, offset(i, 0), out, 0, def.valueSize(), (flags & MapFlags.F_LOCK) != 0);
        }
        return 0;
    }

    @Override
    int sysUpdate(MemorySegment key, MemorySegment value, long flags) {
        if (perCpu) {
            // bpf_percpu_array_update takes no BPF_F_LOCK.
            if (flags > MapFlags.EXIST) {
                return -Errnos.EINVAL;
            }
        } else if ((flags & ~MapFlags.F_LOCK) > MapFlags.EXIST) {
            return -Errnos.EINVAL;
        }
        int i = index(key);
        if (!inRange(i)) {
            return -Errnos.E2BIG;
        }
        if ((flags & MapFlags.NOEXIST) != 0) {
            return -Errnos.EEXIST;
        }
        if (perCpu) {
            for (int w = 0; w < copies; w++) {
                Values.copy(def, value, (long) w * stride, values, offset(i, w), stride);
            }
        } else if ((flags & MapFlags.F_LOCK) != 0) {
            Values.copyLocked(def, value, 0, values, offset(i, 0), def.valueSize(), false);
        } else {
            Values.copy(def, value, 0, values, offset(i, 0), def.valueSize());
        }
        return 0;
    }

    @Override
    int sysDelete(MemorySegment key) {
        return -Errnos.EINVAL;
    }

    @Override
    int sysNextKey(MemorySegment key, MemorySegment next) {
        return arrayNextKey(key, next);
    }

    // ---- programs

    @Override
    public MemorySegment lookupElem(MemorySegment key, int worker) {
        int i = index(key);
        if (!inRange(i)) {
            return null;
        }
        return values.asSlice(offset(i, workerSlot(worker)), def.valueSize());
    }

    @Override
    public long updateElem(MemorySegment key, MemorySegment value, long flags, int worker) {
        if ((flags & ~MapFlags.F_LOCK) > MapFlags.EXIST) {
            return -Errnos.EINVAL;
        }
        int i = index(key);
        if (!inRange(i)) {
            return -Errnos.E2BIG;
        }
        if ((flags & MapFlags.NOEXIST) != 0) {
            return -Errnos.EEXIST;
        }
        if ((flags & MapFlags.F_LOCK) != 0 && def.spinLockOffset() < 0) {
            return -Errnos.EINVAL;
        }
        long at = offset(i, workerSlot(worker));
        if ((flags & MapFlags.F_LOCK) != 0 && !perCpu) {
            Values.copyLocked(def, value, 0, values, at, def.valueSize(), false);
        } else {
            Values.copy(def, value, 0, values, at, def.valueSize());
        }
        return 0;
    }

    @Override
    public long deleteElem(MemorySegment key, int worker) {
        return -Errnos.EINVAL;
    }

    @Override
    public long forEach(int worker, ElementVisitor visitor) {
        int w = workerSlot(worker);
        MemorySegment key = MemorySegment.ofArray(new int[1]);
        long n = 0;
        for (int i = 0; Integer.compareUnsigned(i, def.maxEntries()) < 0; i++) {
            key.set(ValueLayout.JAVA_INT, 0, i);
            n++;
            if (!visitor.visit(key, values.asSlice(offset(i, w), def.valueSize()))) {
                break;
            }
        }
        return n;
    }

    private int workerSlot(int worker) {
        if (!perCpu) {
            return 0;
        }
        if (worker < 0 || worker >= copies) {
            throw new MemoryFault("worker " + worker + " runs a program on per-CPU map '" + name() + "', which has values for "
                    + copies + " workers");
        }
        return worker;
    }

    /**
     * The whole value block (for tests, and for the JIT's inline lookups, which compute
     * {@code storage + index * stride} for a plain array): it stays at its address for the map's life.
     */
    public MemorySegment storage() {
        return values;
    }

    /** Bytes from one value to the next: value_size rounded up to 8. */
    public int stride() {
        return stride;
    }

    /**
     * Values per element: one per worker for a per-CPU array (worker w's value of element i is
     * value {@code i * copies + w}), else 1.
     */
    public int copies() {
        return copies;
    }
}
