package dev.jxdp.nic.frame;

import io.netty.buffer.ByteBuf;
import io.netty.util.AbstractReferenceCounted;
import io.netty.util.ResourceLeakTracker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * One frame buffer, as a NIC driver keeps one per receive descriptor: off-heap memory from Netty's
 * pooled allocator, seen whole as a {@link MemorySegment} ({@link #buffer()}: headroom, frame,
 * tailroom, see {@link FrameLayout}), with the frame's bounds inside it and what the receiving port
 * learnt about it (ingress port and queue, RSS hash, timestamp).
 *
 * <p>Reference counted with Netty's counting: whoever holds a frame owns one reference and gives it
 * up with {@link #release()}; the last release puts the buffer back into its {@link FramePool}, ready
 * for the next frame, with no allocation. Netty's leak detector tracks frames handed out, so a frame
 * dropped without a release is reported as Netty reports a leaked ByteBuf.
 *
 * <p>Not thread-safe: one thread at a time owns a frame (a port's thread, then a worker, then a port's
 * transmit thread); the rings between them publish it safely.
 */
public final class Frame extends AbstractReferenceCounted {
    private final FramePool pool;
    private final ByteBuf memory;
    private final MemorySegment buffer;
    private int offset;
    private int length;
    private int metaLength;
    private long timestampNanos;
    private int ingressIfindex;
    private int rxQueue;
    private int hash;
    private int mark;
    // What a virtio-net header said about the frame (see Offload): 0 / -1 when it carries nothing.
    private int offloadFlags;
    private int gsoType;
    private int gsoSize;
    private int hdrLen;
    /** Where the checksum starts, from the start of the buffer (not of the frame), -1 if none: see {@link #csumStart()}. */
    private int csumStartInBuffer = -1;
    private int csumOffset;
    private ResourceLeakTracker<Frame> leak;
    /** The layout's headroom and where its tailroom starts, kept here: bounds are set per frame. */
    private final int headroom;
    private final int limit;

    Frame(FramePool pool, ByteBuf memory, MemorySegment buffer) {
        this.pool = pool;
        this.memory = memory;
        this.buffer = buffer;
        FrameLayout layout = pool.layout();
        this.headroom = layout.headroom();
        this.limit = layout.capacity() - layout.tailroom();
        this.offset = headroom;
    }

    /** The whole buffer, headroom to tailroom: what the XDP hook takes as data_hard_start..end. */
    public MemorySegment buffer() {
        return buffer;
    }

    /** The pool this buffer belongs to. */
    public FramePool pool() {
        return pool;
    }

    /** Where the frame starts in {@link #buffer()} (XDP's data - data_hard_start). */
    public int offset() {
        return offset;
    }

    /** The frame's length in bytes. */
    public int length() {
        return length;
    }

    /** The metadata just before the frame (XDP's data - data_meta), 0 if none. */
    public int metaLength() {
        return metaLength;
    }

    /**
     * Moves the frame's bounds, as the XDP and tc hooks do after adjust_head/adjust_tail/adjust_meta.
     *
     * @throws IllegalArgumentException if the frame or its metadata would leave the buffer or enter
     *     the tailroom
     */
    public void setBounds(int offset, int length, int metaLength) {
        if (offset < 0 || length < 0 || metaLength < 0 || metaLength > offset || (long) offset + length > limit) {
            throw outOfBounds(offset, length, metaLength);
        }
        this.offset = offset;
        this.length = length;
        this.metaLength = metaLength;
    }

    private IllegalArgumentException outOfBounds(int offset, int length, int metaLength) {
        FrameLayout layout = pool.layout();
        return new IllegalArgumentException("frame bounds offset " + offset + ", length " + length + ", metadata " + metaLength
                + " do not fit a " + layout.capacity() + "-byte buffer with " + layout.tailroom() + " bytes of tailroom");
    }

    /** Puts the frame at the headroom with {@code length} bytes, no metadata (a freshly received frame). */
    public void setLength(int length) {
        setBounds(headroom, length, 0);
    }

    /**
     * A frame just received: {@code length} bytes at the headroom, no metadata, its timestamp and where
     * it came in (what setLength, setTimestampNanos and setReceived do, in one call for a generator's
     * per-frame path).
     *
     * @throws IllegalArgumentException if the frame would enter the tailroom
     */
    public void setReceived(int length, long timestampNanos, int ifindex, int queue, int hash) {
        if (length < 0 || headroom + length > limit) {
            throw outOfBounds(headroom, length, 0);
        }
        this.offset = headroom;
        this.length = length;
        this.metaLength = 0;
        this.timestampNanos = timestampNanos;
        this.ingressIfindex = ifindex;
        this.rxQueue = queue;
        this.hash = hash;
    }

    /** The largest frame this buffer holds at the headroom. */
    public int maxLength() {
        return pool.layout().frameRoom();
    }

    /** When the frame was received (or captured, for a pcap file), in nanoseconds since the epoch. */
    public long timestampNanos() {
        return timestampNanos;
    }

    public void setTimestampNanos(long nanos) {
        this.timestampNanos = nanos;
    }

    /** The ifindex of the port it came in on (xdp_md.ingress_ifindex), 0 if none. */
    public int ingressIfindex() {
        return ingressIfindex;
    }

    /** The receive queue it came in on (xdp_md.rx_queue_index). */
    public int rxQueue() {
        return rxQueue;
    }

    /** The RSS hash the port computed (the kernel's skb->hash from the NIC), 0 if the frame had none. */
    public int hash() {
        return hash;
    }

    /** Records where the frame came in; the port calls this. */
    public void setReceived(int ifindex, int queue, int hash) {
        this.ingressIfindex = ifindex;
        this.rxQueue = queue;
        this.hash = hash;
    }

    // ---- copying bytes in and out (ports and tests; a program works on buffer() directly)

    /** Sets the frame to {@code length} bytes of {@code src} from {@code srcOffset}, at the headroom. */
    public void copyFrom(MemorySegment src, long srcOffset, int length) {
        checkFits(length);
        MemorySegment.copy(src, srcOffset, buffer, headroom, length);
        setLength(length);
    }

    /** Sets the frame to {@code length} bytes of {@code src} from {@code srcOffset}, at the headroom. */
    public void copyFrom(byte[] src, int srcOffset, int length) {
        checkFits(length);
        MemorySegment.copy(src, srcOffset, buffer, ValueLayout.JAVA_BYTE, headroom, length);
        setLength(length);
    }

    /** Sets the frame to the bytes of {@code src}, at the headroom. */
    public void copyFrom(byte[] src) {
        copyFrom(src, 0, src.length);
    }

    /** Copies the frame's bytes into {@code dst} at {@code dstOffset}; returns the length. */
    public int copyTo(byte[] dst, int dstOffset) {
        MemorySegment.copy(buffer, ValueLayout.JAVA_BYTE, offset, dst, dstOffset, length);
        return length;
    }

    /** The frame's bytes as a new array (tests and slow paths; allocates). */
    public byte[] toByteArray() {
        byte[] b = new byte[length];
        copyTo(b, 0);
        return b;
    }

    private void checkFits(int length) {
        if (length < 0 || length > pool.layout().frameRoom()) {
            throw new IllegalArgumentException("a frame of " + length + " bytes does not fit a buffer with room for "
                    + pool.layout().frameRoom());
        }
    }

    // ---- life cycle

    /**
     * The skb mark a frame for the host carries (tc's {@code skb->mark}), 0 for any other: a host port
     * that can hand it to the kernel does (a packet socket's SO_MARK); a tap cannot.
     */
    public int mark() {
        return mark;
    }

    public void setMark(int mark) {
        this.mark = mark;
    }

    // ---- offloads (a tap's virtio-net header, kept with the frame from the port it came in on to the one it leaves by)

    /**
     * Records what a virtio-net header said about the frame (flags, gso_type, hdr_len, gso_size,
     * csum_start, csum_offset, see {@link Offload}), {@code csumStart} counted from the frame's start as
     * the header counts it. The checksum's start is kept as a place in the buffer, as the kernel keeps
     * skb->csum_start from skb->head, so that a program moving the frame's start (adjust_head) leaves
     * it pointing at the same byte.
     */
    public void setOffload(int flags, int gsoType, int hdrLen, int gsoSize, int csumStart, int csumOffset) {
        this.offloadFlags = flags & 0xff;
        this.gsoType = gsoType & 0xff;
        this.hdrLen = hdrLen & 0xffff;
        this.gsoSize = gsoSize & 0xffff;
        this.csumStartInBuffer = (flags & Offload.F_NEEDS_CSUM) != 0 ? offset + (csumStart & 0xffff) : -1;
        this.csumOffset = csumOffset & 0xffff;
    }

    /**
     * A large frame's segment size as the programs left it ({@code gsoSize}, from its skb: the kernel's
     * bpf_skb_adjust_room takes what it adds to the headers off it); nothing for an ordinary frame or a
     * size of 0.
     */
    public void resizeSegments(int gsoSize) {
        if (gsoType != Offload.GSO_NONE && gsoSize != 0) {
            this.gsoSize = gsoSize & 0xffff;
        }
    }

    /** Forgets any offload (a frame that was segmented, or whose checksum was completed). */
    public void clearOffload() {
        offloadFlags = gsoType = gsoSize = hdrLen = csumOffset = 0;
        csumStartInBuffer = -1;
    }

    /**
     * Whether a port must do something for this frame that only a port taking virtio-net headers can
     * be asked to do: cut a large segment (gso_type not NONE) or fill in a checksum (NEEDS_CSUM).
     */
    public boolean needsOffload() {
        return gsoType != Offload.GSO_NONE || (offloadFlags & Offload.F_NEEDS_CSUM) != 0;
    }

    /** The virtio-net header's flags (NEEDS_CSUM, DATA_VALID), 0 if none. */
    public int offloadFlags() {
        return offloadFlags;
    }

    /** VIRTIO_NET_HDR_GSO_* (with the ECN bit), 0 (GSO_NONE) for an ordinary frame. */
    public int gsoType() {
        return gsoType;
    }

    /** The segment size a large frame is to be cut to (the MSS for TCP), 0 if none. */
    public int gsoSize() {
        return gsoSize;
    }

    /** The header's hdr_len (a hint: the bytes of headers, or the kernel's linear part). */
    public int hdrLen() {
        return hdrLen;
    }

    /** Where the checksum to fill in starts, from the frame's start (may be negative if a program cut it off), or -1 without NEEDS_CSUM. */
    public int csumStart() {
        return csumStartInBuffer < 0 ? -1 : csumStartInBuffer - offset;
    }

    /** Where in the checksummed part the checksum goes (16 for TCP, 6 for UDP). */
    public int csumOffset() {
        return csumOffset;
    }

    /**
     * Gives this frame (a copy of {@code packet}, taken from {@code src}'s buffer or elsewhere) the
     * offload of {@code src}, with the checksum's start moved to where the copy put the bytes; nothing if
     * the packet is not in src's buffer (a helper made it anew: its checksums are whatever it wrote).
     */
    public void copyOffloadFrom(Frame src, MemorySegment packet) {
        long at = packet.address() - src.buffer.address();
        if (!src.needsOffload() && src.offloadFlags == 0 || at < 0 || at + packet.byteSize() > src.buffer.byteSize()) {
            return;
        }
        offloadFlags = src.offloadFlags;
        gsoType = src.gsoType;
        gsoSize = src.gsoSize;
        hdrLen = src.hdrLen;
        csumOffset = src.csumOffset;
        csumStartInBuffer = src.csumStartInBuffer < 0 ? -1 : (int) (src.csumStartInBuffer - at + offset);
    }

    /** Hands the frame out of the pool: one reference, fresh bounds and metadata, tracked for leaks. */
    void reuse(ResourceLeakTracker<Frame> tracker) {
        setRefCnt(1);
        this.leak = tracker;
        this.offset = headroom;
        this.length = 0;
        this.metaLength = 0;
        this.timestampNanos = 0;
        this.ingressIfindex = 0;
        this.rxQueue = 0;
        this.hash = 0;
        this.mark = 0;
        clearOffload();
    }

    /** The buffer's memory goes back to Netty's pool when the frame pool closes. */
    void freeMemory() {
        memory.release();
    }

    @Override
    public Frame touch(Object hint) {
        ResourceLeakTracker<Frame> l = leak;
        if (l != null) {
            l.record(hint);
        }
        return this;
    }

    @Override
    public Frame retain() {
        super.retain();
        return this;
    }

    @Override
    public Frame touch() {
        return touch(null);
    }

    @Override
    protected void deallocate() {
        ResourceLeakTracker<Frame> l = leak;
        leak = null;
        if (l != null) {
            l.close(this);
        }
        pool.recycle(this);
    }

    @Override
    public String toString() {
        return "Frame[" + length + " bytes at " + offset + (metaLength > 0 ? ", " + metaLength + " of metadata" : "")
                + ", " + Objects.toString(pool.name()) + "]";
    }
}
