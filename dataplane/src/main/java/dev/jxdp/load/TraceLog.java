package dev.jxdp.load;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where bpf_trace_printk and bpf_trace_vprintk write: jxdp's /sys/kernel/tracing/trace_pipe. Holds the
 * latest {@code capacity} messages (older ones are overwritten, as the kernel's trace buffer overwrites,
 * and counted); {@link #take} reads them once, like reading trace_pipe; {@link #line} formats one as
 * trace_pipe shows it.
 */
public final class TraceLog {
    /** One message: when, on which worker, from which program, and the text the program formatted. */
    public record Entry(long timestampNs, int worker, String program, String message) {}

    private final int capacity;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private final AtomicLong overwritten = new AtomicLong();

    public TraceLog() {
        this(16384);
    }

    public TraceLog(int capacity) {
        this.capacity = capacity;
    }

    synchronized void add(Entry e) {
        if (entries.size() == capacity) {
            entries.removeFirst();
            overwritten.incrementAndGet();
        }
        entries.addLast(e);
        notifyAll();
    }

    /** Removes and returns every message waiting, oldest first. */
    public synchronized List<Entry> take() {
        List<Entry> out = new ArrayList<>(entries);
        entries.clear();
        return out;
    }

    /** Waits up to {@code timeout} for a message, then {@link #take}s. */
    public synchronized List<Entry> poll(long timeout, TimeUnit unit) throws InterruptedException {
        if (entries.isEmpty()) {
            unit.timedWait(this, timeout);
        }
        return take();
    }

    /** Messages lost because the log was full. */
    public long overwritten() {
        return overwritten.get();
    }

    /**
     * The trace_pipe form: {@code <task>-<pid> [cpu] flags secs.usecs: bpf_trace_printk: message}, with
     * the program as the task, the worker as the CPU and no pid or flags to speak of.
     */
    public static String line(Entry e) {
        String task = e.program().length() > 16 ? e.program().substring(0, 16) : e.program();
        long us = e.timestampNs() / 1000;
        String msg = e.message().endsWith("\n") ? e.message().substring(0, e.message().length() - 1) : e.message();
        return String.format("%16s-%-7d [%03d] ..... %5d.%06d: bpf_trace_printk: %s", task, 0, e.worker(), us / 1_000_000,
                us % 1_000_000, msg);
    }
}
