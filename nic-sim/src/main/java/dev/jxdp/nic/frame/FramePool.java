package dev.jxdp.nic.frame;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicInteger;
import org.jctools.queues.atomic.MpmcAtomicArrayQueue;

/**
 * A fixed set of frame buffers, allocated once from Netty's pooled direct allocator and recycled
 * forever: the buffers a NIC driver posts to its receive rings (DPDK's mempool, AF_XDP's UMEM). When
 * every buffer is in use {@link #allocate()} returns null and the caller counts the frame it could not
 * take (rx_missed): the pool never grows.
 *
 * <p>Every buffer's memory is also seen through a {@link MemorySegment} of this pool's arena, so that
 * once the pool is closed a stale segment fails on access instead of reading memory Netty gave to
 * someone else.
 *
 * <p>Thread-safe: any thread may allocate and release.
 */
public final class FramePool implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(FramePool.class.getName());
    /** Frames handed out are tracked like Netty's own buffers (sampled, or every one at PARANOID). */
    private static final ResourceLeakDetector<Frame> LEAKS =
            ResourceLeakDetectorFactory.instance().newResourceLeakDetector(Frame.class);

    private final String name;
    private final FrameLayout layout;
    private final int size;
    private final MpmcAtomicArrayQueue<Frame> free;
    private final Arena arena = Arena.ofShared();
    private final AtomicInteger outstanding = new AtomicInteger();
    private volatile boolean closed;

    static final int CACHE_LINE = 64;
    /**
     * Buffers start on a cache line and at one of this many lines into their memory, in turn (cache
     * colouring, as DPDK's mempool spreads its objects). Netty hands out a default buffer (9,594 bytes)
     * in 10,240-byte runs 16 bytes past a line: every frame's first bytes, at the 256-byte headroom,
     * fell into the same two of a 32 KB L1 cache's 64 sets and straddled two lines, so the 64 frames of
     * a batch fought over 16 lines. Now they spread over 18 sets, one line each for a 64-byte frame.
     * 9 colours keep a default buffer within the allocator's 10,240 bytes (9,594 + 10 lines - 1 = 10,233).
     */
    static final int COLOURS = 9;

    /** {@code size} buffers of {@code layout} from Netty's default pooled allocator. */
    public FramePool(String name, FrameLayout layout, int size) {
        this(name, layout, size, PooledByteBufAllocator.DEFAULT);
    }

    /**
     * {@code size} buffers of {@code layout}, direct memory from {@code allocator}.
     *
     * @throws IllegalArgumentException if size is not positive
     */
    @SuppressWarnings("restricted") // reinterpret: the same memory, scoped to this pool's arena
    public FramePool(String name, FrameLayout layout, int size, ByteBufAllocator allocator) {
        if (size < 1) {
            throw new IllegalArgumentException("a frame pool needs at least one buffer, not " + size);
        }
        this.name = name;
        this.layout = layout;
        this.size = size;
        // MPMC: any thread releases a frame; the receiving thread and workers (for copies) allocate.
        this.free = new MpmcAtomicArrayQueue<>(Math.max(2, size));
        int capacity = layout.capacity();
        for (int i = 0; i < size; i++) {
            int room = capacity + (COLOURS + 1) * CACHE_LINE - 1; // a line's alignment and the colours' lines
            ByteBuf memory = allocator.directBuffer(room, room);
            long start = MemorySegment.ofBuffer(memory.nioBuffer(0, room)).address();
            int at = (int) (-start & (CACHE_LINE - 1)) + (i % COLOURS) * CACHE_LINE;
            MemorySegment view = MemorySegment.ofBuffer(memory.nioBuffer(at, capacity)).reinterpret(arena, null);
            free.offer(new Frame(this, memory, view));
        }
    }

    public String name() {
        return name;
    }

    public FrameLayout layout() {
        return layout;
    }

    /** How many buffers the pool has. */
    public int size() {
        return size;
    }

    /** How many buffers are free now. */
    public int available() {
        return free.size();
    }

    /** Buffers handed out and not yet released. */
    public int inUse() {
        return outstanding.get();
    }

    /**
     * A free buffer holding an empty frame at the headroom, with one reference; null if every buffer is
     * in use (or the pool is closed). Allocates nothing.
     */
    public Frame allocate() {
        Frame f = free.relaxedPoll();
        if (f == null) {
            f = free.poll();
            if (f == null) {
                return null;
            }
        }
        outstanding.incrementAndGet();
        f.reuse(LEAKS.track(f));
        return f;
    }

    /** A new frame with the same bytes, bounds, metadata and receive information as {@code f}, or null if none is free. */
    public Frame copyOf(Frame f) {
        Frame c = allocate();
        if (c == null) {
            return null;
        }
        int start = f.offset() - f.metaLength();
        MemorySegment.copy(f.buffer(), start, c.buffer(), start, (long) f.metaLength() + f.length());
        c.setBounds(f.offset(), f.length(), f.metaLength());
        c.setReceived(f.ingressIfindex(), f.rxQueue(), f.hash());
        c.setTimestampNanos(f.timestampNanos());
        c.copyOffloadFrom(f, f.buffer().asSlice(start + f.metaLength(), f.length()));
        return c;
    }

    /** The last release of a frame comes here. */
    void recycle(Frame f) {
        outstanding.decrementAndGet();
        if (!closed && free.offer(f)) {
            if (closed) {
                freeAll(); // close() ran between the check and the offer
            }
            return;
        }
        f.freeMemory();
    }

    private void freeAll() {
        Frame f;
        while ((f = free.poll()) != null) {
            f.freeMemory();
        }
    }

    /**
     * Gives every free buffer back to Netty and invalidates the segments. Frames still held are given
     * back when they are released (and are named in a warning: someone still holds them).
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        freeAll();
        int held = outstanding.get();
        if (held > 0) {
            LOG.log(System.Logger.Level.WARNING, "frame pool {0} closed with {1} frames still in use", name, held);
        }
        arena.close();
    }

    @Override
    public String toString() {
        return "FramePool[" + name + ", " + size + " x " + layout.capacity() + " B, " + available() + " free]";
    }
}
