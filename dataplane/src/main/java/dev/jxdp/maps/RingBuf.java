package dev.jxdp.maps;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * BPF_MAP_TYPE_RINGBUF (kernel/bpf/ringbuf.c): a multi-producer, single-consumer byte ring of
 * {@code max_entries} bytes (a power of two, page aligned). Records are the kernel's: an 8-byte header
 * (u32 length with the BUSY bit while reserved and the DISCARD bit when discarded, u32 page offset),
 * then the sample, padded to 8. Producers reserve under a lock and commit without one; the consumer
 * ({@link #consume}, {@link #poll}: libbpf's ring_buffer__consume / __poll) reads committed records in
 * order, stops at a busy one, skips discarded ones, and moves the consumer position on.
 *
 * <p>The kernel maps the data pages twice so that a record that wraps is still contiguous; here the
 * data area is twice the ring, and a record's bytes simply run past the end of the first half. Only
 * the headers are read at {@code position & mask}, and they never wrap (the ring size is a multiple of 8).
 *
 * <p>Reservations that fail because the ring is full are counted ({@link #drops()}): the kernel only
 * returns NULL (bpf_ringbuf_reserve) or -EAGAIN (bpf_ringbuf_output).
 */
public final class RingBuf extends EbpfMap {
    static final int HDR_SZ = 8;
    static final int BUSY_BIT = 1 << 31;
    static final int DISCARD_BIT = 1 << 30;
    /** RINGBUF_MAX_RECORD_SZ. */
    static final long MAX_RECORD_SZ = 0xffff_ffffL / 4;
    /** BPF_RB_AVAIL_DATA, RING_SIZE, CONS_POS, PROD_POS. */
    public static final int AVAIL_DATA = 0;
    public static final int RING_SIZE = 1;
    public static final int CONS_POS = 2;
    public static final int PROD_POS = 3;

    private static final VarHandle LEN = ValueLayout.JAVA_INT.varHandle();

    private final long mask;
    private final MemorySegment data;
    private volatile long consumerPos;
    private volatile long producerPos;
    /** Guarded by this: the oldest record not yet committed (the kernel's pending_pos). */
    private long pendingPos;
    private final AtomicLong drops = new AtomicLong();
    private volatile Thread waiter;
    /** The consumer's own lock: producers reserve under {@code this} and must never wait for a consumer. */
    private final Object consumer = new Object();

    RingBuf(MapDefinition def, MapEnvironment env) {
        super(def, env);
        long size = Integer.toUnsignedLong(def.maxEntries());
        this.mask = size - 1;
        this.data = arena.allocate(2 * size, 4096);
    }

    /** ringbuf_map_alloc's checks. */
    static int check(MapDefinition def) {
        long size = Integer.toUnsignedLong(def.maxEntries());
        if ((def.flags() & ~MapFlags.NUMA_NODE) != 0) {
            return -Errnos.EINVAL;
        }
        if (def.keySize() != 0 || def.valueSize() != 0 || size == 0 || Long.bitCount(size) != 1 || size % 4096 != 0) {
            return -Errnos.EINVAL;
        }
        return 0;
    }

    /** Records that could not be reserved because the ring was full. */
    public long drops() {
        return drops.get();
    }

    public long size() {
        return mask + 1;
    }

    /**
     * __bpf_ringbuf_reserve: the sample's memory (inside this ring's data area), or null when it does not
     * fit (counted as a drop) or is too large.
     */
    public MemorySegment reserve(long size) {
        if (size < 0 || size > MAX_RECORD_SZ) {
            return null;
        }
        long len = MapDefinition.roundUp8(size + HDR_SZ);
        if (len > mask + 1) {
            return null;
        }
        long cons = consumerPos;
        long prod;
        synchronized (this) {
            long pend = pendingPos;
            prod = producerPos;
            long newProd = prod + len;
            while (pend < prod) {
                int hdrLen = (int) LEN.getVolatile(data, pend & mask);
                if ((hdrLen & BUSY_BIT) != 0) {
                    break;
                }
                pend += MapDefinition.roundUp8((hdrLen & ~DISCARD_BIT) + (long) HDR_SZ);
            }
            pendingPos = pend;
            if (newProd - cons > mask || newProd - pend > mask) {
                drops.incrementAndGet();
                return null;
            }
            long hdr = prod & mask;
            LEN.setVolatile(data, hdr, (int) size | BUSY_BIT);
            data.set(ValueLayout.JAVA_INT, hdr + 4, (int) (hdr >>> 12));
            producerPos = newProd;
        }
        return data.asSlice((prod & mask) + HDR_SZ, size);
    }

    /** Whether {@code address} is the sample of a record reserved and not yet committed in this ring. */
    public boolean isReserved(long address) {
        long off = address - data.address() - HDR_SZ;
        if (off < 0 || off > mask || (off & 7) != 0) {
            return false;
        }
        return ((int) LEN.getVolatile(data, off) & BUSY_BIT) != 0;
    }

    /** bpf_ringbuf_commit: submit or discard the record whose sample is at {@code address}. */
    public void commit(long address, long flags, boolean discard) {
        long hdr = address - data.address() - HDR_SZ;
        int newLen = (int) LEN.getVolatile(data, hdr) ^ BUSY_BIT;
        if (discard) {
            newLen |= DISCARD_BIT;
        }
        LEN.getAndSet(data, hdr, newLen);
        long cons = consumerPos & mask;
        if ((flags & MapFlags.RB_FORCE_WAKEUP) != 0 || cons == hdr && (flags & MapFlags.RB_NO_WAKEUP) == 0) {
            wakeUp();
        }
    }

    /** bpf_ringbuf_output: 0, -EINVAL for unknown flags, -EAGAIN when full. */
    public long output(MemorySegment sample, long flags) {
        if ((flags & ~(MapFlags.RB_NO_WAKEUP | MapFlags.RB_FORCE_WAKEUP)) != 0) {
            return -Errnos.EINVAL;
        }
        MemorySegment rec = reserve(sample.byteSize());
        if (rec == null) {
            return -Errnos.EAGAIN;
        }
        MemorySegment.copy(sample, 0, rec, 0, sample.byteSize());
        commit(rec.address(), flags, false);
        return 0;
    }

    /** bpf_ringbuf_query. */
    public long query(long flags) {
        if (flags == AVAIL_DATA) {
            return producerPos - consumerPos;
        } else if (flags == RING_SIZE) {
            return mask + 1;
        } else if (flags == CONS_POS) {
            return consumerPos;
        } else if (flags == PROD_POS) {
            return producerPos;
        }
        return 0;
    }

    // ---- the consumer (one thread at a time, like libbpf's ring_buffer)

    /**
     * ringbuf_process_ring: hands every committed record, in order, to {@code handler} as a read-only
     * view (valid only during the call), skipping discarded ones; stops at a record still being
     * written. Returns how many records it handed over.
     */
    public int consume(Consumer<MemorySegment> handler) {
        synchronized (consumer) {
            return consumeLocked(handler);
        }
    }

    private int consumeLocked(Consumer<MemorySegment> handler) {
        int count = 0;
        long cons = consumerPos;
        while (true) {
            boolean progress = false;
            long prod = producerPos;
            while (cons < prod) {
                long hdr = cons & mask;
                int len = (int) LEN.getAcquire(data, hdr);
                if ((len & BUSY_BIT) != 0) {
                    consumerPos = cons;
                    return count;
                }
                progress = true;
                cons += MapDefinition.roundUp8((len & ~(BUSY_BIT | DISCARD_BIT)) + (long) HDR_SZ);
                if ((len & DISCARD_BIT) == 0) {
                    handler.accept(data.asSlice(hdr + HDR_SZ, len & ~(BUSY_BIT | DISCARD_BIT)).asReadOnly());
                    count++;
                }
                consumerPos = cons;
            }
            if (!progress) {
                return count;
            }
        }
    }

    /** Waits up to {@code timeout} for data (producers wake it as the kernel's would), then consumes. */
    public int poll(long timeout, TimeUnit unit, Consumer<MemorySegment> handler) {
        int n = consume(handler);
        if (n > 0) {
            return n;
        }
        waiter = Thread.currentThread();
        try {
            if (producerPos == consumerPos) {
                LockSupport.parkNanos(this, unit.toNanos(timeout));
            }
        } finally {
            waiter = null;
        }
        return consume(handler);
    }

    private void wakeUp() {
        Thread t = waiter;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    // ---- the map commands: a ring buffer has none (the kernel says ENOTSUPP)

    @Override
    int sysLookup(MemorySegment key, MemorySegment out, long flags) {
        return -Errnos.ENOTSUPP;
    }

    @Override
    int sysUpdate(MemorySegment key, MemorySegment value, long flags) {
        return -Errnos.ENOTSUPP;
    }

    @Override
    int sysDelete(MemorySegment key) {
        return -Errnos.ENOTSUPP;
    }

    @Override
    int sysNextKey(MemorySegment key, MemorySegment next) {
        return -Errnos.ENOTSUPP;
    }
}
