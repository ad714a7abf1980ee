package dev.jxdp.maps;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The jxdp side of one perf event of a {@link PerfEventArray}: what the kernel's per-CPU
 * PERF_COUNT_SW_BPF_OUTPUT ring buffer is to libbpf's perf_buffer. It holds up to {@code capacity}
 * bytes of samples; a sample that does not fit is lost and counted, as PERF_RECORD_LOST counts them.
 * Samples arrive as the kernel delivers raw samples: the data, zero-padded so that a u32 size and
 * the data fill a multiple of 8 bytes (the size a perf_buffer callback sees).
 */
public final class PerfBuffer {
    private final int worker;
    private final long capacity;
    private final ArrayDeque<byte[]> samples = new ArrayDeque<>();
    private long used;
    private final AtomicLong lost = new AtomicLong();

    PerfBuffer(int worker, long capacity) {
        this.worker = worker;
        this.capacity = capacity;
    }

    /** The worker (the kernel's CPU) the event is bound to. */
    public int worker() {
        return worker;
    }

    /** Samples dropped because the buffer was full. */
    public long lost() {
        return lost.get();
    }

    /** perf_prepare_sample's raw size: data plus padding so that u32 size + data is 8-aligned. */
    static int paddedSize(int size) {
        return (int) (MapDefinition.roundUp8(size + 4L) - 4);
    }

    synchronized boolean offer(byte[] sample) {
        // Each record costs its perf_event_header (8) and size field (4) besides the data.
        long cost = 12L + sample.length;
        if (used + cost > capacity) {
            lost.incrementAndGet();
            return false;
        }
        used += cost;
        samples.add(sample);
        notifyAll();
        return true;
    }

    /** Hands every sample waiting to {@code handler}, oldest first; returns how many. */
    public int consume(Consumer<byte[]> handler) {
        int n = 0;
        while (true) {
            byte[] s;
            synchronized (this) {
                s = samples.poll();
                if (s == null) {
                    return n;
                }
                used -= 12L + s.length;
            }
            handler.accept(s);
            n++;
        }
    }

    /** Waits up to {@code timeout} for a sample, then consumes. */
    public int poll(long timeout, TimeUnit unit, Consumer<byte[]> handler) throws InterruptedException {
        synchronized (this) {
            if (samples.isEmpty()) {
                unit.timedWait(this, timeout);
            }
        }
        return consume(handler);
    }
}
