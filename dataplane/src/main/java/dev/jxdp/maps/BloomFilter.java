package dev.jxdp.maps;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * BPF_MAP_TYPE_BLOOM_FILTER (kernel/bpf/bloom_filter.c): no keys; push adds a value, peek says 0 if
 * the value may be in the set and ENOENT if it surely is not. The bit array size, the hash count
 * (map_extra's low 4 bits, 5 when 0) and the hashes (jhash with seed + i) are the kernel's, so with
 * BPF_F_ZERO_SEED the false positives are the kernel's too. Bits are set atomically (set_bit).
 */
public final class BloomFilter extends EbpfMap {
    private final int hashes;
    private final long bitsetMask;
    private final AtomicLongArray bits;
    private final int seed;

    BloomFilter(MapDefinition def, MapEnvironment env) {
        super(def, env);
        int k = (int) def.mapExtra();
        this.hashes = k == 0 ? 5 : k;
        // bloom_map_alloc: n * k * 7 / 5 bits (7/5 ~ 1/ln 2), to a power of two, at least 64; 2^32 on overflow.
        long n = Integer.toUnsignedLong(def.maxEntries()) * hashes;
        long nrBits = n > 0xffff_ffffL ? -1 : n / 5 * 7;
        long mask;
        if (nrBits < 0 || nrBits > 0xffff_ffffL || nrBits > 1L << 31) {
            mask = 0xffff_ffffL;
        } else {
            long b = nrBits <= 64 ? 64 : Long.highestOneBit(nrBits - 1) << 1;
            mask = b - 1;
        }
        this.bitsetMask = mask;
        this.bits = new AtomicLongArray((int) ((mask + 64) / 64));
        this.seed = (def.flags() & MapFlags.ZERO_SEED) != 0 ? 0 : env.seeds().getAsInt();
    }

    /** bloom_map_alloc's checks. */
    static int check(MapDefinition def) {
        int allowed = MapFlags.NUMA_NODE | MapFlags.ZERO_SEED | MapFlags.ACCESS_MASK;
        if (def.keySize() != 0 || def.valueSize() == 0 || def.maxEntries() == 0 || (def.flags() & ~allowed) != 0
                || !MapFlags.accessOk(def.flags()) || (def.mapExtra() & ~0xfL) != 0) {
            return -Errnos.EINVAL;
        }
        return 0;
    }

    private long hash(MemorySegment value, int i) {
        int h = JHash.hash(value, 0, def.valueSize(), seed + i);
        return Integer.toUnsignedLong(h) & bitsetMask;
    }

    @Override
    public long peekElem(MemorySegment value) {
        for (int i = 0; i < hashes; i++) {
            long h = hash(value, i);
            if ((bits.get((int) (h >>> 6)) & (1L << (h & 63))) == 0) {
                return -Errnos.ENOENT;
            }
        }
        return 0;
    }

    @Override
    public long pushElem(MemorySegment value, long flags) {
        if (flags != MapFlags.ANY) {
            return -Errnos.EINVAL;
        }
        for (int i = 0; i < hashes; i++) {
            long h = hash(value, i);
            int word = (int) (h >>> 6);
            long bit = 1L << (h & 63);
            bits.getAndAccumulate(word, bit, (a, b) -> a | b);
        }
        return 0;
    }

    @Override
    public long popElem(MemorySegment out) {
        return -Errnos.EOPNOTSUPP;
    }

    @Override
    public MemorySegment lookupElem(MemorySegment key, int worker) {
        throw unsupported("bpf_map_lookup_elem");
    }

    // ---- user space: lookup reads its value buffer as the element to test (see EbpfMap#contains)

    @Override
    int sysLookup(MemorySegment key, MemorySegment out, long flags) {
        return (int) peekElem(out);
    }

    @Override
    int sysUpdate(MemorySegment key, MemorySegment value, long flags) {
        return (int) pushElem(value, flags);
    }

    @Override
    int sysDelete(MemorySegment key) {
        return -Errnos.EOPNOTSUPP;
    }

    @Override
    int sysNextKey(MemorySegment key, MemorySegment next) {
        return -Errnos.EOPNOTSUPP;
    }
}
