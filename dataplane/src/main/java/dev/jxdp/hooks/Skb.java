package dev.jxdp.hooks;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * A packet at the tc hooks: the parts of the kernel's {@code struct sk_buff} (and its
 * {@code skb_shared_info} and qdisc control block) that {@code __sk_buff} and the skb helpers reach.
 * The bytes are linear, in an off-heap buffer:
 *
 * <pre>
 * head: [ headroom ... | metadata | mac header ... data ......... tail | tailroom | (shared info) ]
 *       0                         data                            tail           end
 * </pre>
 *
 * At tc, {@code data} is the MAC header. A helper that needs more head- or tailroom than the buffer
 * has moves the packet to a bigger one ({@link #reserve}), as pskb_expand_head does. Metadata an XDP
 * program left ({@link #metaLength}) lies just before the MAC header and is visible as
 * {@code data_meta} until the packet leaves tc ingress.
 *
 * <p>Mutable and reused per worker. Not thread-safe.
 */
public final class Skb {
    /** NET_SKB_PAD on x86-64 (a cache line): the headroom BPF_PROG_TEST_RUN gives an skb. */
    public static final int NET_SKB_PAD = 64;
    /** PACKET_HOST, PACKET_BROADCAST, PACKET_MULTICAST, PACKET_OTHERHOST (include/uapi/linux/if_packet.h). */
    public static final int PACKET_HOST = 0;
    public static final int PACKET_BROADCAST = 1;
    public static final int PACKET_MULTICAST = 2;
    public static final int PACKET_OTHERHOST = 3;
    /** qdisc_skb_cb's data: QDISC_CB_PRIV_LEN. */
    public static final int CB_SIZE = 20;
    private static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt BE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private MemorySegment head;
    private int data;
    private int tail;
    /** {@link #bytes()}'s last view and the head, data and tail it was made for. */
    private MemorySegment bytesView;
    private MemorySegment bytesHead;
    private int bytesData;
    private int bytesTail;
    /** {@link #ethTypeTrans}'s last device and its addresses. */
    private Device addressesOf;
    private long devMac;
    private long devBroadcast;
    private int end;
    private int macHeader;
    private int networkHeader;
    private int transportHeader = -1;
    private int metaLen;

    /** skb->protocol in host order (the kernel keeps it big-endian; {@code __sk_buff} shows the raw u16). */
    int protocol;
    int pktType;
    int mark;
    int priority;
    int queueMapping;
    /** vlan_proto (host order) and vlan_tci of a tag held out of the packet; {@link #vlanPresent} says whether one is. */
    int vlanProto;
    int vlanTci;
    boolean vlanPresent;
    int tcIndex;
    final byte[] cb = new byte[CB_SIZE];
    int tcClassid;
    int hash;
    boolean l4Hash;
    boolean swHash;
    long tstamp;
    int tstampType;
    /** qdisc_skb_cb(skb)->pkt_len: what __sk_buff.wire_len shows. */
    int wireLen;
    int gsoSegs;
    int gsoSize;
    /**
     * The large segment is TCP (SKB_GSO_TCPV4/6), as everything a tap hands over is: the helpers that
     * move headers change only such a segment's size. A test run's gso_size comes with no type.
     */
    boolean gsoTcp;
    long hwtstamp;
    int ifindex;
    /** The device's MTU (what bpf_skb_change_tail/head may grow to, with its header), 0 without a device. */
    int deviceMtu;
    int ingressIfindex;
    /** tc runs at ingress (skb->tc_at_ingress). */
    boolean atIngress;
    /** Checksum state: CHECKSUM_NONE 0, UNNECESSARY 1, COMPLETE 2, PARTIAL 3 (skb->ip_summed), and csum_level. */
    int ipSummed;
    int csumLevel;
    int csum;
    /** An encapsulation header was added by bpf_skb_adjust_room (skb->encapsulation). */
    boolean encapsulation;
    /** Tunnel metadata set by bpf_skb_set_tunnel_key (null: none). */
    TunnelKey tunnel;

    /**
     * Points this skb at a packet: {@code buffer} holds it at {@code [offset, offset + length)}, with
     * the bytes before it as headroom and the rest of the buffer as tailroom; every field cleared,
     * the MAC and network headers at the start of the packet and after its Ethernet header.
     */
    public Skb reset(MemorySegment buffer, int offset, int length) {
        Objects.requireNonNull(buffer);
        if (!buffer.isNative()) {
            throw new IllegalArgumentException("an skb's buffer must be off-heap memory (programs see its addresses)");
        }
        Objects.checkFromIndexSize(offset, length, buffer.byteSize());
        head = buffer;
        data = offset;
        tail = offset + length;
        end = (int) buffer.byteSize();
        macHeader = offset;
        networkHeader = offset + Math.min(length, XdpBuff.ETH_HLEN);
        transportHeader = -1;
        metaLen = 0;
        protocol = pktType = mark = priority = queueMapping = vlanProto = vlanTci = tcIndex = tcClassid = hash = 0;
        vlanPresent = l4Hash = swHash = atIngress = encapsulation = gsoTcp = false;
        java.util.Arrays.fill(cb, (byte) 0);
        tstamp = hwtstamp = 0;
        tstampType = wireLen = gsoSegs = gsoSize = ifindex = deviceMtu = ingressIfindex = ipSummed = csumLevel = csum = 0;
        tunnel = null;
        return this;
    }

    // ---- the bytes

    public MemorySegment head() {
        return head;
    }

    /** skb->data's address. */
    public long dataAddress() {
        return head.address() + data;
    }

    /** The end of the linear data (what __sk_buff.data_end gives). */
    public long dataEndAddress() {
        return head.address() + tail;
    }

    /** data_meta: data less the metadata. */
    public long dataMetaAddress() {
        return head.address() + data - metaLen;
    }

    public int dataOffset() {
        return data;
    }

    /** skb->len (all linear here). */
    public int length() {
        return tail - data;
    }

    public int headroom() {
        return data;
    }

    public int tailroom() {
        return end - tail;
    }

    /**
     * The packet, data to tail. The view is kept while head, data and tail stay as they are, so that the
     * hooks, the program run (LD_ABS) and the host sink asking for it in one packet's journey make one
     * slice, not one each.
     */
    public MemorySegment bytes() {
        MemorySegment b = bytesView;
        if (b == null || bytesHead != head || bytesData != data || bytesTail != tail) {
            b = head.asSlice(data, tail - data);
            bytesView = b;
            bytesHead = head;
            bytesData = data;
            bytesTail = tail;
        }
        return b;
    }

    /**
     * eth_type_trans on {@code dev}: pkt_type from the destination address (this host's, broadcast,
     * multicast, another host's), protocol from the EtherType (or 802.3/802.2), the device set. Reads
     * the addresses in place: nothing is copied per packet.
     *
     * @throws IndexOutOfBoundsException if the packet is shorter than a destination address
     */
    public void ethTypeTrans(Device dev) {
        java.util.Objects.checkFromIndexSize(0, 6, length());
        long dest = (long) (head.get(BE16, data) & 0xffff) << 32 | head.get(BE32, data + 2) & 0xffff_ffffL;
        if (dev != addressesOf) { // the device's addresses as numbers, kept while packets come from one device
            addressesOf = dev;
            devMac = dev.macAddress();
            devBroadcast = dev.broadcastAddress();
        }
        int type = PACKET_HOST;
        if (dest != devMac) {
            if ((dest >>> 40 & 1) != 0) {
                type = dest == devBroadcast ? PACKET_BROADCAST : PACKET_MULTICAST;
            } else {
                type = PACKET_OTHERHOST;
            }
        }
        pktType(type);
        int proto = be16At(12);
        if (proto < 0x600) {
            boolean ipx = length() >= 16 && be16At(14) == 0xffff;
            proto = ipx ? 0x0001 : 0x0004; // ETH_P_802_3, ETH_P_802_2
        }
        protocol(proto).device(dev);
    }

    public byte[] toByteArray() {
        return bytes().toArray(ValueLayout.JAVA_BYTE);
    }

    /** XDP metadata before the MAC header, as skb_metadata_len. */
    public int metaLength() {
        return metaLen;
    }

    /** The metadata bytes (data_meta to data). */
    public MemorySegment metadata() {
        return head.asSlice(data - metaLen, metaLen);
    }

    /** Records that the {@code length} bytes before data are XDP metadata (skb_metadata_set). */
    public Skb metadata(int length) {
        if (length < 0 || length > data) {
            throw new IllegalArgumentException("metadata of " + length + " bytes with " + data + " bytes of headroom");
        }
        metaLen = length;
        return this;
    }

    /** skb_metadata_clear: after tc ingress the metadata is gone. */
    public void clearMetadata() {
        metaLen = 0;
    }

    /** Offsets of the MAC and network headers from data (skb_mac_offset / skb_network_offset). */
    public int macOffset() {
        return macHeader - data;
    }

    public int networkOffset() {
        return networkHeader - data;
    }

    /** The transport header's offset from data, or -1 if unset. */
    public int transportOffset() {
        return transportHeader < 0 ? -1 : transportHeader - data;
    }

    void setNetworkOffset(int fromData) {
        networkHeader = data + fromData;
    }

    void setMacOffset(int fromData) {
        macHeader = data + fromData;
    }

    void setTransportOffset(int fromData) {
        transportHeader = fromData < 0 ? -1 : data + fromData;
    }

    /** skb_push: data moves back {@code n} bytes into the headroom (which must have them). */
    void push(int n) {
        if (n > data) {
            throw new IllegalStateException("push of " + n + " with " + data + " bytes of headroom");
        }
        data -= n;
    }

    /** skb_pull: data moves forward {@code n} bytes (no further than tail). */
    void pull(int n) {
        if (n > tail - data) {
            throw new IllegalStateException("pull of " + n + " from " + (tail - data) + " bytes");
        }
        data += n;
    }

    /** skb_put: tail moves out {@code n} bytes (zeroed); the tailroom must have them. */
    void put(int n) {
        if (n > end - tail) {
            throw new IllegalStateException("put of " + n + " with " + (end - tail) + " bytes of tailroom");
        }
        head.asSlice(tail, n).fill((byte) 0);
        tail += n;
    }

    /** skb_trim: the packet ends {@code length} bytes after data. */
    void trim(int length) {
        tail = data + length;
    }

    /**
     * Makes room: at least {@code headroom} bytes before data and {@code tailroom} after tail, moving
     * the packet (headers, metadata and all) to a bigger buffer if this one is too small, as
     * pskb_expand_head does. The old buffer is left as it was (it may belong to a driver ring).
     */
    void reserve(int headroom, int tailroom) {
        if (data - metaLen >= headroom && end - tail >= tailroom) {
            return;
        }
        int newHead = Math.max(headroom, data - metaLen) + metaLen;
        int size = newHead + (tail - data) + Math.max(tailroom, end - tail);
        MemorySegment bigger = Arena.ofAuto().allocate(size, 64);
        MemorySegment.copy(head, data - metaLen, bigger, newHead - metaLen, metaLen + (tail - data));
        int shift = newHead - data;
        macHeader += shift;
        networkHeader += shift;
        if (transportHeader >= 0) {
            transportHeader += shift;
        }
        head = bigger;
        data = newHead;
        tail += shift;
        end = size;
    }

    /** An independent copy (skb_clone then made private): its own buffer, the same headroom, fields and metadata. */
    public Skb copy() {
        int room = data - metaLen;
        MemorySegment buf = Arena.ofAuto().allocate(end, 64);
        MemorySegment.copy(head, room, buf, room, metaLen + (tail - data));
        Skb c = new Skb().reset(buf, data, tail - data);
        c.end = end;
        c.macHeader = macHeader;
        c.networkHeader = networkHeader;
        c.transportHeader = transportHeader;
        c.metaLen = metaLen;
        c.protocol = protocol;
        c.pktType = pktType;
        c.mark = mark;
        c.priority = priority;
        c.queueMapping = queueMapping;
        c.vlanProto = vlanProto;
        c.vlanTci = vlanTci;
        c.vlanPresent = vlanPresent;
        c.tcIndex = tcIndex;
        System.arraycopy(cb, 0, c.cb, 0, CB_SIZE);
        c.tcClassid = tcClassid;
        c.hash = hash;
        c.l4Hash = l4Hash;
        c.swHash = swHash;
        c.tstamp = tstamp;
        c.tstampType = tstampType;
        c.wireLen = wireLen;
        c.gsoSegs = gsoSegs;
        c.gsoSize = gsoSize;
        c.gsoTcp = gsoTcp;
        c.hwtstamp = hwtstamp;
        c.ifindex = ifindex;
        c.deviceMtu = deviceMtu;
        c.ingressIfindex = ingressIfindex;
        c.atIngress = atIngress;
        c.ipSummed = ipSummed;
        c.csumLevel = csumLevel;
        c.csum = csum;
        c.encapsulation = encapsulation;
        c.tunnel = tunnel;
        return c;
    }

    /** The EtherType at {@code offset} from data (big-endian u16 of the packet). */
    int be16At(int offset) {
        return head.get(BE16, data + offset) & 0xffff;
    }

    // ---- fields a caller sets before the program runs

    public Skb protocol(int ethertype) {
        this.protocol = ethertype & 0xffff;
        return this;
    }

    public int protocol() {
        return protocol;
    }

    public Skb pktType(int t) {
        this.pktType = t & 7;
        return this;
    }

    public int pktType() {
        return pktType;
    }

    public Skb mark(int m) {
        this.mark = m;
        return this;
    }

    public int mark() {
        return mark;
    }

    public Skb priority(int p) {
        this.priority = p;
        return this;
    }

    public int priority() {
        return priority;
    }

    /** The device the skb is on (skb->dev): its ifindex and MTU. */
    public Skb device(Device dev) {
        this.ifindex = dev == null ? 0 : dev.ifindex();
        this.deviceMtu = dev == null ? 0 : dev.mtu();
        return this;
    }

    public int ifindex() {
        return ifindex;
    }

    public Skb ingressIfindex(int ifindex) {
        this.ingressIfindex = ifindex;
        return this;
    }

    public int ingressIfindex() {
        return ingressIfindex;
    }

    public Skb atIngress(boolean ingress) {
        this.atIngress = ingress;
        return this;
    }

    public boolean atIngress() {
        return atIngress;
    }

    public Skb wireLen(int len) {
        this.wireLen = len;
        return this;
    }

    public int wireLen() {
        return wireLen;
    }

    public Skb tstamp(long t) {
        this.tstamp = t;
        return this;
    }

    public long tstamp() {
        return tstamp;
    }

    public Skb hwtstamp(long t) {
        this.hwtstamp = t;
        return this;
    }

    public long hwtstamp() {
        return hwtstamp;
    }

    /** gso_segs and gso_size with no segment type (what a test run's ctx_in sets). */
    public Skb gso(int segs, int size) {
        this.gsoSegs = segs & 0xffff;
        this.gsoSize = size & 0xffff;
        this.gsoTcp = false;
        return this;
    }

    /** A large TCP segment (SKB_GSO_TCPV4/6) to be cut into {@code size} pieces, {@code segs} counted so far. */
    public Skb gsoTcp(int segs, int size) {
        gso(segs, size);
        this.gsoTcp = size != 0;
        return this;
    }

    public int gsoSegs() {
        return gsoSegs;
    }

    public int gsoSize() {
        return gsoSize;
    }

    /** The qdisc control block's 20 bytes of program data (__sk_buff.cb). */
    public byte[] cb() {
        return cb;
    }

    public int tcIndex() {
        return tcIndex;
    }

    public int tcClassid() {
        return tcClassid;
    }

    public int queueMapping() {
        return queueMapping;
    }

    public int hash() {
        return hash;
    }

    public boolean vlanPresent() {
        return vlanPresent;
    }

    public int vlanTci() {
        return vlanTci;
    }

    public int vlanProto() {
        return vlanProto;
    }

    /** Tunnel metadata bpf_skb_set_tunnel_key attached, or null. */
    public TunnelKey tunnel() {
        return tunnel;
    }

    @Override
    public String toString() {
        return "skb[len " + length() + ", headroom " + headroom() + ", meta " + metaLen + ", protocol 0x" + Integer.toHexString(protocol) + "]";
    }
}
