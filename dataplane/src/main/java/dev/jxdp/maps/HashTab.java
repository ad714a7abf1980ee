package dev.jxdp.maps;

import dev.jxdp.exec.MemoryFault;
import dev.jxdp.obj.MapType;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * BPF_MAP_TYPE_HASH, PERCPU_HASH, LRU_HASH and LRU_PERCPU_HASH (kernel/bpf/hashtab.c).
 *
 * <p>The kernel's shape, so that the element order is the kernel's too: {@code roundup_pow_of_two(max_entries)}
 * buckets, each a singly linked list with new elements at its head, keys hashed with jhash
 * ({@link JHash}) and the map's seed (0 with BPF_F_ZERO_SEED), get_next_key walking a bucket and
 * then the buckets after it. An update of an existing key links a new element in front of the old
 * one and unlinks the old one, as the kernel does, so a program still holding the old value sees the
 * old value; per-CPU maps update in place, as the kernel does.
 *
 * <p>Concurrency: lookups take no lock. They follow links published with release stores and read
 * with acquire loads; writers hold the bucket's lock. An unlinked element keeps its own link, so a
 * reader standing on it walks on, and its memory ({@link SlotPool}) is reused only after an
 * {@link Epochs} grace period, so no reader ever sees a key change under it.
 *
 * <p>LRU maps take elements from a port of the kernel's LRU lists ({@link BpfLru}), which evicts by
 * its rules when the map is full; program lookups set the element's reference bit, user-space
 * lookups do not (as in the kernel).
 */
public final class HashTab extends EbpfMap {
    // Element layout in its slot.
    private static final int NEXT = 0;
    private static final int HASH = 4;
    private static final int NODE = 8;
    private static final int STATE = 12;
    private static final int KEY = 16;
    private static final int LIVE = 0x4c495645;
    private static final int DEAD = 0x44454144;

    private static final VarHandle HEADS = MethodHandles.arrayElementVarHandle(int[].class);

    private final boolean perCpu;
    private final boolean lru;
    private final int keySize;
    private final int valueStride;
    private final int copies;
    private final long valueOffset;
    private final int maxEntries;
    private final int mask;
    private final int[] heads;
    private final Object[] locks;
    private final SlotPool pool;
    private final int seed;
    private final AtomicInteger count = new AtomicInteger();
    private final BpfLru lruList;
    private final boolean checkFreed;

    HashTab(MapDefinition def, MapEnvironment env) {
        super(def, env);
        MapType t = def.type();
        this.perCpu = t == MapType.PERCPU_HASH || t == MapType.LRU_PERCPU_HASH;
        this.lru = t == MapType.LRU_HASH || t == MapType.LRU_PERCPU_HASH;
        this.keySize = def.keySize();
        this.valueStride = def.valueStride();
        this.copies = perCpu ? env.workers() : 1;
        this.valueOffset = KEY + MapDefinition.roundUp8(keySize);
        this.maxEntries = effectiveMaxEntries(def, env.workers());
        int buckets = (int) Math.min(1L << 30, Long.highestOneBit(Math.max(1, 2L * maxEntries - 1)));
        this.mask = buckets - 1;
        this.heads = new int[buckets];
        this.locks = new Object[Math.min(buckets, 4096)];
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new Object();
        }
        long slot = valueOffset + (long) valueStride * copies;
        this.pool = new SlotPool(arena, env.epochs(), (int) slot, maxEntries, env.poison());
        this.seed = (def.flags() & MapFlags.ZERO_SEED) != 0 ? 0 : env.seeds().getAsInt();
        this.checkFreed = env.poison();
        this.lruList = lru ? new BpfLru(maxEntries, env.workers(), (def.flags() & MapFlags.NO_COMMON_LRU) != 0, this::evict) : null;
    }

    /** BPF_F_NO_COMMON_LRU maps round max_entries to a multiple of the CPU count, as htab_map_alloc does. */
    static int effectiveMaxEntries(MapDefinition def, int workers) {
        if ((def.flags() & MapFlags.NO_COMMON_LRU) == 0) {
            return def.maxEntries();
        }
        long max = Integer.toUnsignedLong(def.maxEntries());
        long up = (max + workers - 1) / workers * workers;
        return (int) (up <= 0xffff_ffffL ? up : max / workers * workers);
    }

    /** htab_map_alloc_check. */
    static int check(MapDefinition def) {
        MapType t = def.type();
        boolean percpu = t == MapType.PERCPU_HASH || t == MapType.LRU_PERCPU_HASH;
        boolean lru = t == MapType.LRU_HASH || t == MapType.LRU_PERCPU_HASH;
        boolean percpuLru = (def.flags() & MapFlags.NO_COMMON_LRU) != 0;
        boolean prealloc = (def.flags() & MapFlags.NO_PREALLOC) == 0;
        int allowed = MapFlags.NO_PREALLOC | MapFlags.NO_COMMON_LRU | MapFlags.NUMA_NODE | MapFlags.ACCESS_MASK
                | MapFlags.ZERO_SEED;
        if ((def.flags() & ~allowed) != 0 || !MapFlags.accessOk(def.flags())) {
            return -Errnos.EINVAL;
        }
        if (!lru && percpuLru) {
            return -Errnos.EINVAL;
        }
        if (lru && !prealloc) {
            return -Errnos.ENOTSUPP;
        }
        if ((def.flags() & MapFlags.NUMA_NODE) != 0 && (percpu || percpuLru)) {
            return -Errnos.EINVAL;
        }
        if (def.maxEntries() == 0 || def.keySize() == 0 || def.valueSize() == 0) {
            return -Errnos.EINVAL;
        }
        // KMALLOC_MAX_SIZE (4 MiB on x86-64) less sizeof(struct htab_elem) (48).
        if (Integer.toUnsignedLong(def.keySize()) + Integer.toUnsignedLong(def.valueSize()) >= (4L << 20) - 48) {
            return -Errnos.E2BIG;
        }
        if (percpu && def.valueStride() > ArrayMap.PCPU_MIN_UNIT_SIZE) {
            return -Errnos.E2BIG;
        }
        return 0;
    }

    @Override
    public int maxEntries() {
        return maxEntries;
    }

    /** Live elements. */
    public int size() {
        return count.get();
    }

    // ---- the table

    private int hash(MemorySegment key) {
        return JHash.hash(key, 0, keySize, seed);
    }

    private Object lock(int bucket) {
        return locks[bucket & (locks.length - 1)];
    }

    private int head(int bucket) {
        return (int) HEADS.getAcquire(heads, bucket) - 1;
    }

    private int next(int slot) {
        return pool.getIntAcquire(slot, NEXT) - 1;
    }

    private boolean keyEquals(int slot, MemorySegment key, long keyOffset) {
        long at = pool.offset(slot) + KEY;
        return MemorySegment.mismatch(pool.chunk(slot), at, at + keySize, key, keyOffset, keyOffset + keySize) == -1;
    }

    /** lookup_elem_raw: the element with this key, or -1. No lock. */
    private int find(MemorySegment key, int hash) {
        return find(key, 0, hash);
    }

    /** lookup_elem_raw for the key at {@code keyOffset} of {@code key}. */
    private int find(MemorySegment key, long keyOffset, int hash) {
        for (int s = head(hash & mask); s >= 0; s = next(s)) {
            if (checkFreed) {
                checkNotFreed(s);
            }
            if (pool.getInt(s, HASH) == hash && keyEquals(s, key, keyOffset)) {
                return s;
            }
        }
        return -1;
    }

    /** Poison mode: a reader reaching a freed slot is exactly the bug the epochs prevent. */
    private void checkNotFreed(int slot) {
        int state = pool.getInt(slot, STATE);
        if (state != LIVE && state != DEAD) {
            throw new IllegalStateException(this + ": a reader reached freed element memory (slot " + slot + ", state 0x"
                    + Integer.toHexString(state) + ")");
        }
    }

    private MemorySegment valueOf(int slot, int worker) {
        return pool.chunk(slot).asSlice(pool.offset(slot) + valueOffset + (long) worker * valueStride, def.valueSize());
    }

    private long valueAt(int slot, int worker) {
        return pool.offset(slot) + valueOffset + (long) worker * valueStride;
    }

    /** A new unpublished element holding {@code key}. */
    private int newElement(MemorySegment key, int hash, int node) {
        int s = pool.allocate();
        pool.setInt(s, HASH, hash);
        pool.setInt(s, NODE, node);
        pool.setInt(s, STATE, LIVE);
        MemorySegment.copy(key, 0, pool.chunk(s), pool.offset(s) + KEY, keySize);
        return s;
    }

    /** Links a new element at the head of its bucket (release: its contents are visible first). Bucket lock held. */
    private void linkHead(int bucket, int slot) {
        pool.setInt(slot, NEXT, (int) HEADS.getAcquire(heads, bucket));
        HEADS.setRelease(heads, bucket, slot + 1);
    }

    /** Unlinks {@code slot} from its bucket; its own link stays for readers on it. Bucket lock held. */
    private void unlink(int bucket, int slot) {
        int after = pool.getIntAcquire(slot, NEXT);
        int h = head(bucket);
        if (h == slot) {
            HEADS.setRelease(heads, bucket, after);
            return;
        }
        for (int p = h; p >= 0; p = next(p)) {
            if (next(p) == slot) {
                pool.setIntRelease(p, NEXT, after);
                return;
            }
        }
        throw new IllegalStateException(this + ": element " + slot + " is not in bucket " + bucket);
    }

    /** Unlinks and retires an element. Bucket lock held. */
    private void remove(int bucket, int slot) {
        unlink(bucket, slot);
        pool.setInt(slot, STATE, DEAD);
        pool.retire(slot);
    }

    /** check_flags. */
    private static int checkFlags(int old, long flags) {
        long f = flags & ~MapFlags.F_LOCK;
        if (old >= 0 && f == MapFlags.NOEXIST) {
            return -Errnos.EEXIST;
        }
        if (old < 0 && f == MapFlags.EXIST) {
            return -Errnos.ENOENT;
        }
        return 0;
    }

    private boolean reserveEntry() {
        while (true) {
            int c = count.get();
            if (c >= maxEntries && !lru) {
                return false;
            }
            if (count.compareAndSet(c, c + 1)) {
                return true;
            }
        }
    }

    // ---- update and delete, shared by user space (onAllWorkers) and programs

    /**
     * htab_map_update_elem and its per-CPU and LRU variants. {@code value} holds one value, or one
     * 8-aligned value per worker when {@code onAllWorkers} (user space on a per-CPU map).
     */
    private int update(MemorySegment key, MemorySegment value, long flags, boolean onAllWorkers, int worker) {
        boolean locked = (flags & MapFlags.F_LOCK) != 0;
        if (perCpu || lru ? flags > MapFlags.EXIST : (flags & ~MapFlags.F_LOCK) > MapFlags.EXIST) {
            return -Errnos.EINVAL;
        }
        int hash = hash(key);
        int bucket = hash & mask;
        if (locked) {
            if (def.spinLockOffset() < 0) {
                return -Errnos.EINVAL;
            }
            int old = find(key, hash);
            int r = checkFlags(old, flags);
            if (r != 0) {
                return r;
            }
            if (old >= 0) {
                Values.copyLocked(def, value, 0, pool.chunk(old), valueAt(old, 0), def.valueSize(), false);
                return 0;
            }
        }
        if (lru) {
            return lruUpdate(key, value, flags, onAllWorkers, worker, hash, bucket);
        }
        synchronized (lock(bucket)) {
            int old = find(key, hash);
            int r = checkFlags(old, flags);
            if (r != 0) {
                return r;
            }
            if (old >= 0 && locked) {
                Values.copyLocked(def, value, 0, pool.chunk(old), valueAt(old, 0), def.valueSize(), false);
                return 0;
            }
            if (old >= 0 && perCpu) {
                copyIn(old, value, onAllWorkers, worker, false);
                return 0;
            }
            if (old < 0 && !reserveEntry()) {
                return -Errnos.E2BIG;
            }
            int s = newElement(key, hash, -1);
            copyIn(s, value, onAllWorkers, worker, true);
            linkHead(bucket, s);
            if (old >= 0) {
                remove(bucket, old);
            }
            return 0;
        }
    }

    /** Copies a value into an element: all workers' (user space), or one worker's. */
    private void copyIn(int slot, MemorySegment value, boolean onAllWorkers, int worker, boolean fresh) {
        MemorySegment c = pool.chunk(slot);
        if (perCpu && onAllWorkers) {
            for (int w = 0; w < copies; w++) {
                Values.copy(def, value, (long) w * valueStride, c, valueAt(slot, w), valueStride);
            }
        } else {
            // A fresh per-CPU element from a program: this worker's value, the others stay zero.
            Values.copy(def, value, 0, c, valueAt(slot, perCpu ? worker : 0), def.valueSize());
        }
    }

    /** htab_lru_map_update_elem / __htab_lru_percpu_map_update_elem. */
    private int lruUpdate(MemorySegment key, MemorySegment value, long flags, boolean onAllWorkers, int worker, int hash,
            int bucket) {
        int fresh = -1;
        // The kernel takes the node before the bucket lock: taking one may evict from other buckets.
        if (!perCpu || flags != MapFlags.EXIST) {
            fresh = newElement(key, hash, -1);
            int node = lruList.popFree(hash, worker, fresh);
            if (node < 0) {
                pool.release(fresh);
                return -Errnos.ENOMEM;
            }
            pool.setInt(fresh, NODE, node);
            count.incrementAndGet();
            if (!perCpu) {
                copyIn(fresh, value, onAllWorkers, worker, true);
            }
        }
        int oldToFree = -1;
        int r;
        synchronized (lock(bucket)) {
            int old = find(key, hash);
            r = checkFlags(old, flags);
            if (r == 0) {
                if (perCpu && old >= 0) {
                    lruList.setRef(pool.getInt(old, NODE));
                    copyIn(old, value, onAllWorkers, worker, false);
                } else {
                    if (perCpu) {
                        copyIn(fresh, value, onAllWorkers, worker, true);
                    }
                    linkHead(bucket, fresh);
                    if (old >= 0) {
                        lruList.setRef(pool.getInt(fresh, NODE));
                        unlink(bucket, old);
                        oldToFree = old;
                    }
                    fresh = -1;
                }
            }
        }
        if (fresh >= 0) {
            // Not linked: back to the free list, its memory unpublished.
            count.decrementAndGet();
            int node = pool.getInt(fresh, NODE);
            lruList.unbind(node);
            pool.release(fresh);
            lruList.pushFree(node);
        }
        if (oldToFree >= 0) {
            count.decrementAndGet();
            freeLruElement(oldToFree);
        }
        return r;
    }

    /** An unlinked LRU element: its node goes back to the free lists, its memory waits for the epoch. */
    private void freeLruElement(int slot) {
        int node = pool.getInt(slot, NODE);
        pool.setInt(slot, STATE, DEAD);
        lruList.unbind(node);
        pool.retire(slot);
        lruList.pushFree(node);
    }

    /**
     * htab_lru_map_delete_node: what the LRU calls to evict a node's element. False if the node's
     * element is not in the table (an element being added).
     */
    private boolean evict(int node, int slot, int hash) {
        int bucket = hash & mask;
        synchronized (lock(bucket)) {
            for (int s = head(bucket); s >= 0; s = next(s)) {
                if (s == slot) {
                    unlink(bucket, s);
                    pool.setInt(s, STATE, DEAD);
                    pool.retire(s);
                    count.decrementAndGet();
                    return true;
                }
            }
        }
        return false;
    }

    private int delete(MemorySegment key) {
        int hash = hash(key);
        int bucket = hash & mask;
        int removed;
        synchronized (lock(bucket)) {
            removed = find(key, hash);
            if (removed < 0) {
                return -Errnos.ENOENT;
            }
            if (lru) {
                unlink(bucket, removed);
            } else {
                remove(bucket, removed);
            }
        }
        count.decrementAndGet();
        if (lru) {
            freeLruElement(removed);
        }
        return 0;
    }

    // ---- user space

    @Override
    int sysLookup(MemorySegment key, MemorySegment out, long flags) {
        int s = find(key, hash(key));
        if (s < 0) {
            return -Errnos.ENOENT;
        }
        copyOut(s, out, flags);
        return 0;
    }

    private void copyOut(int slot, MemorySegment out, long flags) {
        MemorySegment c = pool.chunk(slot);
        if (perCpu) {
            for (int w = 0; w < copies; w++) {
                Values.copyOut(def, c, valueAt(slot, w), out, (long) w * valueStride, valueStride, false);
            }
        } else {
            Values.copyOut(def, c, valueAt(slot, 0), out, 0, def.valueSize(), (flags & MapFlags.F_LOCK) != 0);
        }
    }

    @Override
    int sysUpdate(MemorySegment key, MemorySegment value, long flags) {
        return update(key, value, flags, true, 0);
    }

    @Override
    int sysDelete(MemorySegment key) {
        return delete(key);
    }

    @Override
    int sysNextKey(MemorySegment key, MemorySegment next) {
        int i = 0;
        if (key != null) {
            int hash = hash(key);
            int s = find(key, hash);
            if (s >= 0) {
                int n = next(s);
                if (n >= 0) {
                    copyKey(n, next);
                    return 0;
                }
                i = (hash & mask) + 1;
            }
        }
        for (; i <= mask; i++) {
            int h = head(i);
            if (h >= 0) {
                copyKey(h, next);
                return 0;
            }
        }
        return -Errnos.ENOENT;
    }

    private void copyKey(int slot, MemorySegment to) {
        MemorySegment.copy(pool.chunk(slot), pool.offset(slot) + KEY, to, 0, keySize);
    }

    @Override
    int sysLookupAndDelete(MemorySegment key, MemorySegment out, long flags) {
        if ((flags & MapFlags.F_LOCK) != 0 && def.spinLockOffset() < 0) {
            return -Errnos.EINVAL;
        }
        int hash = hash(key);
        int bucket = hash & mask;
        int removed;
        synchronized (lock(bucket)) {
            removed = find(key, hash);
            if (removed < 0) {
                return -Errnos.ENOENT;
            }
            copyOut(removed, out, flags);
            if (lru) {
                unlink(bucket, removed);
            } else {
                remove(bucket, removed);
            }
        }
        count.decrementAndGet();
        if (lru) {
            freeLruElement(removed);
        }
        return 0;
    }

    // ---- programs

    @Override
    public MemorySegment lookupElem(MemorySegment key, int worker) {
        int s = find(key, hash(key));
        if (s < 0) {
            return null;
        }
        if (lru) {
            lruList.setRef(pool.getInt(s, NODE));
        }
        return valueOf(s, workerSlot(worker));
    }

    /**
     * Every address, as offsets of one segment: a key a verified program hands over is read where it
     * is ({@link #lookupInPlace}). A restricted operation, as jxdp runs with --enable-native-access.
     */
    @SuppressWarnings("restricted")
    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    /**
     * {@link #lookupElem} of a map that is neither per-CPU nor LRU, for the key at {@code keyAddress},
     * which the caller (the JIT, for a program whose pointers the verifier proved) guarantees readable
     * for the key size: the value's address, or 0. No segment is made for the key or the value.
     */
    public long lookupInPlace(long keyAddress) {
        if (perCpu || lru) {
            throw new IllegalStateException(this + ": in-place lookups are for HASH maps only");
        }
        int s = find(ALL, keyAddress, JHash.hash(ALL, keyAddress, keySize, seed));
        return s < 0 ? 0 : pool.chunk(s).address() + valueAt(s, 0);
    }

    /** The value at {@code address}, which {@link #lookupInPlace} returned, as {@link #lookupElem} would return it. */
    public MemorySegment valueSegment(long address) {
        MemorySegment chunk = pool.chunkHolding(address);
        if (chunk == null) {
            throw new IllegalArgumentException(this + ": 0x" + Long.toHexString(address) + " is no value of this map");
        }
        return chunk.asSlice(address - chunk.address(), def.valueSize());
    }

    @Override
    public long updateElem(MemorySegment key, MemorySegment value, long flags, int worker) {
        return update(key, value, flags, false, workerSlot(worker));
    }

    @Override
    public long deleteElem(MemorySegment key, int worker) {
        return delete(key);
    }

    @Override
    public long forEach(int worker, ElementVisitor visitor) {
        int w = workerSlot(worker);
        long n = 0;
        for (int b = 0; b <= mask; b++) {
            for (int s = head(b); s >= 0; s = next(s)) {
                n++;
                MemorySegment key = pool.chunk(s).asSlice(pool.offset(s) + KEY, keySize);
                if (!visitor.visit(key, valueOf(s, w))) {
                    return n;
                }
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

    /** The element pool, for tests of reclamation. */
    SlotPool pool() {
        return pool;
    }
}
