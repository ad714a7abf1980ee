package dev.jxdp.hooks;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * A frame at the XDP hook: the kernel's {@code struct xdp_buff} over an off-heap buffer, with the
 * bounds the XDP helpers move and the fragments of a multi-buffer frame.
 *
 * <pre>
 * buffer: [ xdp_frame | headroom ..... | metadata | packet data ....... | tailroom | skb_shared_info ]
 *         0           40           meta       data             end          frameSize - 320   frameSize
 * </pre>
 *
 * The first {@link #FRAME_OVERHEAD} bytes belong to the frame descriptor the kernel keeps there (so
 * neither adjust_head nor adjust_meta may move into them) and the last {@link #SHARED_INFO} bytes to
 * the fragment list (so adjust_tail may not grow into them); these sizes are those of Linux 6.18 on
 * x86-64, found by moving the bounds in the kernel until it refused. Fragments are other buffers
 * (pages in the kernel) that hold the frame's bytes after {@code end}; programs reach them only through
 * helpers.
 *
 * <p>Mutable and reused: a worker keeps one and {@link #reset resets} it per frame. Not thread-safe.
 */
public final class XdpBuff {
    /** XDP_PACKET_HEADROOM: what a driver leaves before the frame. */
    public static final int PACKET_HEADROOM = 256;
    /** sizeof(struct xdp_frame): the part of the headroom no helper may move into. */
    public static final int FRAME_OVERHEAD = 40;
    /** SKB_DATA_ALIGN(sizeof(struct skb_shared_info)): the end of the buffer, kept for fragments. */
    public static final int SHARED_INFO = 320;
    /** ETH_HLEN: no helper shrinks a frame below an Ethernet header. */
    public static final int ETH_HLEN = 14;
    /** MAX_SKB_FRAGS. */
    public static final int MAX_FRAGS = 17;
    /** The largest metadata area: type_max of skb_shared_info.meta_len (a u8), in 4-byte units. */
    public static final int META_MAX = 255;

    private MemorySegment buffer;
    private int meta;
    private int data;
    private int end;
    private boolean metaSupported = true;
    private final MemorySegment[] frags = new MemorySegment[MAX_FRAGS];
    private final int[] fragOffset = new int[MAX_FRAGS];
    private final int[] fragSize = new int[MAX_FRAGS];
    private int nrFrags;
    private long fragsSize;
    private boolean hasFrags;
    private int fragCapacity;
    private int ingressIfindex;
    private int rxQueueIndex;
    private int egressIfindex;
    private int gsoSize;
    private boolean checksumPartial;

    /**
     * Points this buff at a frame: {@code buffer} is the whole buffer (data_hard_start to its end), the
     * packet is the {@code length} bytes at {@code headroom}, no metadata, no fragments.
     *
     * @throws IllegalArgumentException if the buffer is not off-heap, or the packet does not fit
     *     between the frame descriptor and the shared info
     */
    public XdpBuff reset(MemorySegment buffer, int headroom, int length) {
        Objects.requireNonNull(buffer);
        if (!buffer.isNative()) {
            throw new IllegalArgumentException("an XDP frame must be off-heap memory (programs see its addresses)");
        }
        if (headroom < FRAME_OVERHEAD || length < 0 || (long) headroom + length > buffer.byteSize() - SHARED_INFO) {
            throw new IllegalArgumentException("a frame of " + length + " bytes at headroom " + headroom
                    + " does not fit a buffer of " + buffer.byteSize() + " bytes (" + FRAME_OVERHEAD + " bytes of frame descriptor before, "
                    + SHARED_INFO + " of shared info after)");
        }
        this.buffer = buffer;
        this.data = headroom;
        this.meta = headroom;
        this.end = headroom + length;
        this.metaSupported = true;
        for (int i = 0; i < nrFrags; i++) {
            frags[i] = null;
        }
        this.nrFrags = 0;
        this.fragsSize = 0;
        this.hasFrags = false;
        this.egressIfindex = 0;
        this.gsoSize = 0;
        this.checksumPartial = false;
        return this;
    }

    /** The receive queue the frame came in on (xdp_md.ingress_ifindex, rx_queue_index). */
    public XdpBuff receivedOn(int ifindex, int queue) {
        this.ingressIfindex = ifindex;
        this.rxQueueIndex = queue;
        return this;
    }

    /**
     * The frame is a large segment its port took whole (a tap's virtio-net header said GSO), to be cut
     * into {@code size}-byte payloads later: the gso_size of the skb the kernel's tun builds for it,
     * which generic XDP runs on and XDP_PASS hands to tc (see {@link Worker}). 0: an ordinary frame.
     */
    public XdpBuff gsoSize(int size) {
        this.gsoSize = size & 0xffff;
        return this;
    }

    /** The segment size of a large segment, 0 for an ordinary frame ({@link #gsoSize(int)}). */
    public int gsoSize() {
        return gsoSize;
    }

    /**
     * The frame's L4 checksum is still to be completed (a tap's virtio-net header said NEEDS_CSUM: the
     * field holds the pseudo-header's sum): the skb XDP_PASS builds is CHECKSUM_PARTIAL, as tun's is,
     * and the checksum helpers fix such a field as the kernel does.
     */
    public XdpBuff checksumPartial(boolean partial) {
        this.checksumPartial = partial;
        return this;
    }

    /** Whether {@link #checksumPartial(boolean)} said so. */
    public boolean checksumPartial() {
        return checksumPartial;
    }

    /** The device a devmap program's frame leaves through (xdp_md.egress_ifindex). */
    public XdpBuff egress(int ifindex) {
        this.egressIfindex = ifindex;
        return this;
    }

    /**
     * How far a fragment may grow (the receive queue's frag_size); 0, as for most drivers, makes
     * growing a multi-buffer frame's tail EOPNOTSUPP.
     */
    public XdpBuff fragCapacity(int bytes) {
        this.fragCapacity = bytes;
        return this;
    }

    /**
     * Makes the {@code length} bytes before data metadata (a driver or test run that hands over a frame
     * with metadata already in place).
     */
    public XdpBuff resetMeta(int length) {
        if (length < 0 || data - length < FRAME_OVERHEAD || (length & 3) != 0 || length > META_MAX) {
            throw new IllegalArgumentException("metadata of " + length + " bytes (a multiple of 4, at most " + META_MAX
                    + ", after the " + FRAME_OVERHEAD + "-byte frame descriptor)");
        }
        this.meta = data - length;
        return this;
    }

    /** A driver that cannot keep metadata: data_meta reads as data + 1 and adjust_meta is ENOTSUPP. */
    public XdpBuff metadataUnsupported() {
        this.metaSupported = false;
        this.meta = data + 1;
        return this;
    }

    /**
     * Appends a fragment: {@code length} bytes at {@code offset} of {@code page}, after the frame's
     * other bytes, and marks the frame multi-buffer.
     *
     * @throws IllegalStateException if the frame has {@link #MAX_FRAGS} fragments already
     */
    public XdpBuff addFrag(MemorySegment page, int offset, int length) {
        if (nrFrags == MAX_FRAGS) {
            throw new IllegalStateException("a frame has at most " + MAX_FRAGS + " fragments (MAX_SKB_FRAGS)");
        }
        Objects.checkFromIndexSize(offset, length, page.byteSize());
        frags[nrFrags] = page;
        fragOffset[nrFrags] = offset;
        fragSize[nrFrags] = length;
        nrFrags++;
        fragsSize += length;
        hasFrags = true;
        return this;
    }

    // ---- what programs see

    public MemorySegment buffer() {
        return buffer;
    }

    public long dataAddress() {
        return buffer.address() + data;
    }

    public long dataEndAddress() {
        return buffer.address() + end;
    }

    /** data_meta: the start of the metadata (data itself when there is none, data + 1 where unsupported). */
    public long dataMetaAddress() {
        return buffer.address() + meta;
    }

    /** Offsets of data_meta, data and data_end from the start of the buffer. */
    public int metaOffset() {
        return meta;
    }

    public int dataOffset() {
        return data;
    }

    public int endOffset() {
        return end;
    }

    /** Bytes of metadata before data. */
    public int metaLength() {
        return metaSupported ? data - meta : 0;
    }

    /** Bytes of the linear part (data to data_end). */
    public int linearLength() {
        return end - data;
    }

    /** xdp_get_buff_len: the linear part and the fragments. */
    public long length() {
        return linearLength() + (hasFrags ? fragsSize : 0);
    }

    public boolean hasFrags() {
        return hasFrags;
    }

    public int fragCount() {
        return nrFrags;
    }

    public int ingressIfindex() {
        return ingressIfindex;
    }

    public int rxQueueIndex() {
        return rxQueueIndex;
    }

    public int egressIfindex() {
        return egressIfindex;
    }

    /** The metadata, data_meta to data (empty if none). */
    public MemorySegment metadata() {
        return buffer.asSlice(metaSupported ? meta : data, metaLength());
    }

    /** The linear part, data to data_end. */
    public MemorySegment linear() {
        return buffer.asSlice(data, end - data);
    }

    // ---- the helpers (net/core/filter.c); each returns 0 or -errno as the helper does

    /** bpf_xdp_adjust_head: data moves by {@code offset}, the metadata with it. */
    public int adjustHead(int offset) {
        int metalen = metaLength();
        long newData = (long) data + offset;
        if (newData < FRAME_OVERHEAD + metalen || newData > end - ETH_HLEN) {
            return -22;
        }
        if (metalen > 0) {
            MemorySegment.copy(buffer, meta, buffer, meta + offset, metalen);
        }
        meta += offset;
        data = (int) newData;
        return 0;
    }

    /** bpf_xdp_adjust_meta: data_meta moves by {@code offset}; the area must stay 4-byte multiples of at most 255 bytes. */
    public int adjustMeta(int offset) {
        if (!metaSupported) {
            return -524; // ENOTSUPP
        }
        long newMeta = (long) meta + offset;
        if (newMeta < FRAME_OVERHEAD || newMeta > data) {
            return -22;
        }
        long metalen = data - newMeta;
        if ((metalen & 3) != 0 || metalen > META_MAX) {
            return -13; // EACCES
        }
        meta = (int) newMeta;
        return 0;
    }

    /** bpf_xdp_adjust_tail: data_end (or, for a multi-buffer frame, the last fragment) moves by {@code offset}. */
    public int adjustTail(int offset) {
        if (hasFrags) {
            return offset < 0 ? shrinkFrags(-(long) offset) : growFrags(offset);
        }
        long newEnd = (long) end + offset;
        if (newEnd > buffer.byteSize() - SHARED_INFO || newEnd < data + ETH_HLEN) {
            return -22;
        }
        if (offset > 0) {
            buffer.asSlice(end, offset).fill((byte) 0);
        }
        end = (int) newEnd;
        return 0;
    }

    /** bpf_xdp_frags_shrink_tail: whole fragments go first, from the last; the rest comes off the linear part. */
    private int shrinkFrags(long offset) {
        if (offset > length() - ETH_HLEN) {
            return -22;
        }
        for (int i = nrFrags - 1; i >= 0 && offset > 0; i--) {
            int shrink = (int) Math.min(offset, fragSize[i]);
            fragSize[i] -= shrink;
            fragsSize -= shrink;
            offset -= shrink;
            if (fragSize[i] == 0) {
                frags[i] = null;
                nrFrags--;
            }
        }
        if (nrFrags == 0) {
            hasFrags = false;
            end -= (int) offset;
        }
        return 0;
    }

    /** bpf_xdp_frags_increase_tail: the last fragment grows into its page, zero-filled. */
    private int growFrags(int offset) {
        if (fragCapacity == 0) {
            return -95; // EOPNOTSUPP
        }
        int last = nrFrags - 1;
        long tailroom = (long) fragCapacity - fragSize[last] - fragOffset[last];
        if (offset > tailroom) {
            return -22;
        }
        frags[last].asSlice(fragOffset[last] + fragSize[last], offset).fill((byte) 0);
        fragSize[last] += offset;
        fragsSize += offset;
        return 0;
    }

    /**
     * bpf_xdp_load_bytes / bpf_xdp_store_bytes: {@code len} bytes at {@code offset} from data, across
     * fragments, into or out of {@code buf}; 0, -EFAULT (offset or len above 0xffff) or -EINVAL (past
     * the end).
     */
    public int copy(long offset, MemorySegment buf, long len, boolean store) {
        if (offset > 0xffff || len > 0xffff || offset < 0 || len < 0) {
            return -14;
        }
        if (offset + len > length()) {
            return -22;
        }
        long done = 0;
        long linear = linearLength();
        if (offset < linear) {
            long n = Math.min(len, linear - offset);
            move(buffer, data + offset, buf, 0, n, store);
            done = n;
            offset = 0;
        } else {
            offset -= linear;
        }
        for (int i = 0; i < nrFrags && done < len; i++) {
            if (offset >= fragSize[i]) {
                offset -= fragSize[i];
                continue;
            }
            long n = Math.min(len - done, fragSize[i] - offset);
            move(frags[i], fragOffset[i] + offset, buf, done, n, store);
            done += n;
            offset = 0;
        }
        return 0;
    }

    private static void move(MemorySegment frame, long frameOffset, MemorySegment buf, long bufOffset, long n, boolean store) {
        if (store) {
            MemorySegment.copy(buf, bufOffset, frame, frameOffset, n);
        } else {
            MemorySegment.copy(frame, frameOffset, buf, bufOffset, n);
        }
    }

    /** The frame's bytes from data_meta (metadata included, as BPF_PROG_TEST_RUN returns them) through the fragments. */
    public byte[] toByteArrayWithMetadata() {
        return bytes(metaLength());
    }

    /** The frame's bytes from data through the fragments. */
    public byte[] toByteArray() {
        return bytes(0);
    }

    private byte[] bytes(int metalen) {
        byte[] out = new byte[Math.toIntExact(metalen + length())];
        MemorySegment o = MemorySegment.ofArray(out);
        MemorySegment.copy(buffer, data - metalen, o, 0, metalen + linearLength());
        long at = metalen + linearLength();
        for (int i = 0; hasFrags && i < nrFrags; i++) {
            MemorySegment.copy(frags[i], fragOffset[i], o, at, fragSize[i]);
            at += fragSize[i];
        }
        return out;
    }

    /** The byte at {@code offset} from data in the linear part (for the hooks' own parsing). */
    public int byteAt(int offset) {
        return buffer.get(ValueLayout.JAVA_BYTE, data + offset) & 0xff;
    }

    @Override
    public String toString() {
        return "xdp_buff[meta " + metaLength() + ", linear " + linearLength() + ", frags " + nrFrags + "/" + fragsSize + " bytes]";
    }
}
