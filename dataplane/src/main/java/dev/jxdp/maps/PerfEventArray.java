package dev.jxdp.maps;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * BPF_MAP_TYPE_PERF_EVENT_ARRAY (kernel/bpf/arraymap.c, kernel/trace/bpf_trace.c): per-worker sample
 * buffers for bpf_perf_event_output. The kernel stores perf event fds, which user space opens one per
 * CPU; jxdp has no perf events, so user space opens a {@link PerfBuffer} per worker with {@link #open}
 * (a byte-level update is EBADF, a lookup ENOTSUPP, as the kernel has no lookup for it either).
 *
 * <p>bpf_perf_event_output's rules: index = flags & BPF_F_INDEX_MASK, BPF_F_CURRENT_CPU for the
 * running worker; E2BIG past the end, ENOENT for an empty slot, EOPNOTSUPP for a buffer of another
 * worker, EINVAL for unknown flags.
 */
public final class PerfEventArray extends EbpfMap {
    private final AtomicReferenceArray<PerfBuffer> buffers;

    PerfEventArray(MapDefinition def, MapEnvironment env) {
        super(def, env);
        this.buffers = new AtomicReferenceArray<>(def.maxEntries());
    }

    /** Opens a buffer of {@code capacity} bytes bound to {@code worker} at {@code index} (usually index = worker). */
    public PerfBuffer open(int index, int worker, long capacity) {
        if (Integer.compareUnsigned(index, def.maxEntries()) >= 0) {
            throw fail("BPF_MAP_UPDATE_ELEM", Errnos.E2BIG);
        }
        PerfBuffer b = new PerfBuffer(worker, capacity);
        buffers.set(index, b);
        return b;
    }

    public PerfBuffer buffer(int index) {
        return Integer.compareUnsigned(index, buffers.length()) < 0 ? buffers.get(index) : null;
    }

    /** __bpf_perf_event_output for data a program passed (the packet part, BPF_F_CTXLEN_MASK, is the hooks'). */
    public long output(int worker, long flags, MemorySegment data) {
        if ((flags & ~MapFlags.INDEX_MASK) != 0) {
            return -Errnos.EINVAL;
        }
        long index = flags & MapFlags.INDEX_MASK;
        if (index == MapFlags.CURRENT_CPU) {
            index = worker;
        }
        if (index >= Integer.toUnsignedLong(def.maxEntries())) {
            return -Errnos.E2BIG;
        }
        PerfBuffer b = buffers.get((int) index);
        if (b == null) {
            return -Errnos.ENOENT;
        }
        if (b.worker() != worker) {
            return -Errnos.EOPNOTSUPP;
        }
        int size = (int) data.byteSize();
        byte[] sample = new byte[PerfBuffer.paddedSize(size)];
        MemorySegment.copy(data, ValueLayout.JAVA_BYTE, 0, sample, 0, size);
        b.offer(sample);
        return 0;
    }

    @Override
    int sysLookup(MemorySegment key, MemorySegment out, long flags) {
        return -Errnos.ENOTSUPP;
    }

    @Override
    int sysUpdate(MemorySegment key, MemorySegment value, long flags) {
        if (flags != MapFlags.ANY) {
            return -Errnos.EINVAL;
        }
        if (Integer.compareUnsigned(index(key), def.maxEntries()) >= 0) {
            return -Errnos.E2BIG;
        }
        return -Errnos.EBADF;
    }

    @Override
    int sysDelete(MemorySegment key) {
        int k = index(key);
        if (Integer.compareUnsigned(k, def.maxEntries()) >= 0) {
            return -Errnos.E2BIG;
        }
        return buffers.getAndSet(k, null) != null ? 0 : -Errnos.ENOENT;
    }

    @Override
    int sysNextKey(MemorySegment key, MemorySegment next) {
        return arrayNextKey(key, next);
    }
}
