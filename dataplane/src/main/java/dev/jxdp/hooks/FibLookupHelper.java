package dev.jxdp.hooks;

import dev.jxdp.exec.Helper;
import dev.jxdp.exec.HelperContext;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Map;

/**
 * bpf_fib_lookup (net/core/filter.c: bpf_xdp_fib_lookup, bpf_skb_fib_lookup) against the
 * {@link RouteTable} of the hook's {@link Network}: the input device must exist (-ENODEV), a matching
 * route decides (blackhole, unreachable and prohibit routes give their codes, no route or a non-unicast
 * one NOT_FWDED), the MTU is checked (XDP: the L3 tot_len against the route's MTU; tc: the skb against
 * the output device's), a gateway replaces the destination, and unless BPF_FIB_LOOKUP_SKIP_NEIGH the
 * next hop must be a known neighbour (NO_NEIGH), whose address becomes dmac and the output device's
 * smac. One table: BPF_FIB_LOOKUP_DIRECT, TBID, OUTPUT and MARK change nothing; BPF_FIB_LOOKUP_SRC
 * gives NO_SRC_ADDR, since routes here carry no preferred source.
 *
 * <p>{@code struct bpf_fib_lookup}: family @0, l4_protocol @1, sport @2, dport @4, tot_len/mtu_result
 * @6, ifindex @8, tos/flowinfo/rt_metric @12, src @16 (16), dst @32 (16), vlan proto/TCI or tbid @48,
 * smac @52, dmac @58: 64 bytes.
 */
final class FibLookupHelper {
    private FibLookupHelper() {}

    static final int FIB_LOOKUP = 69;
    static final int PARAMS_SIZE = 64;
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final long F_DIRECT = 1;
    static final long F_OUTPUT = 1L << 1;
    static final long F_SKIP_NEIGH = 1L << 2;
    static final long F_TBID = 1L << 3;
    static final long F_SRC = 1L << 4;
    static final long F_MARK = 1L << 5;

    static final int RET_SUCCESS = 0;
    static final int RET_BLACKHOLE = 1;
    static final int RET_UNREACHABLE = 2;
    static final int RET_PROHIBIT = 3;
    static final int RET_NOT_FWDED = 4;
    static final int RET_NO_NEIGH = 7;
    static final int RET_FRAG_NEEDED = 8;
    static final int RET_NO_SRC_ADDR = 9;

    private static final ValueLayout.OfShort LE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt LE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    static void register(Map<Integer, Helper> into) {
        into.put(FIB_LOOKUP, FibLookupHelper::lookup);
    }

    private static long lookup(HelperContext ctx, long context, long params, long plen, long flags, long e) {
        PacketRun run = HelperArgs.context(ctx, context, "bpf_fib_lookup");
        if (HelperArgs.u32(plen) < PARAMS_SIZE) {
            return -22;
        }
        if ((flags & ~(F_DIRECT | F_OUTPUT | F_SKIP_NEIGH | F_TBID | F_SRC | F_MARK)) != 0) {
            return -22;
        }
        MemorySegment p = HelperArgs.memory(ctx, params, PARAMS_SIZE, true);
        int family = p.get(ValueLayout.JAVA_BYTE, 0) & 0xff;
        if (family != AF_INET && family != AF_INET6) {
            return -97; // EAFNOSUPPORT
        }
        Network net = run.network();
        if (net.device(p.get(LE32, 8)) == null) {
            return -19; // ENODEV
        }
        int alen = family == AF_INET ? 4 : 16;
        byte[] dst = p.asSlice(32, alen).toArray(ValueLayout.JAVA_BYTE);
        RouteTable.Route r = net.routes().lookup(dst);
        if (r == null) {
            return RET_NOT_FWDED;
        }
        switch (r.kind()) {
            case BLACKHOLE -> {
                return RET_BLACKHOLE;
            }
            case UNREACHABLE -> {
                return RET_UNREACHABLE;
            }
            case PROHIBIT -> {
                return RET_PROHIBIT;
            }
            case UNICAST -> {}
        }
        Device out = net.device(r.ifindex());
        if (out == null) {
            return RET_NOT_FWDED;
        }
        int mtu = r.mtu() > 0 ? r.mtu() : out.mtu();
        if (run.hook() == Hook.XDP) {
            int totLen = p.get(LE16, 6) & 0xffff;
            if (totLen > mtu) {
                p.set(LE16, 6, (short) mtu);
                return RET_FRAG_NEEDED;
            }
        }
        p.set(LE32, 12, r.metric());
        p.set(LE32, 8, out.ifindex());
        if ((flags & F_SRC) != 0) {
            return RET_NO_SRC_ADDR;
        }
        byte[] gw = r.gateway();
        if (gw != null) {
            MemorySegment.copy(MemorySegment.ofArray(gw), 0, p, 32, alen);
        }
        byte[] nexthop = gw != null ? gw : dst;
        if ((flags & F_SKIP_NEIGH) == 0) {
            byte[] mac = net.routes().neighbour(out.ifindex(), nexthop);
            if (mac == null) {
                return RET_NO_NEIGH;
            }
            MemorySegment.copy(MemorySegment.ofArray(mac), 0, p, 58, 6);
            MemorySegment.copy(MemorySegment.ofArray(out.mac()), 0, p, 52, 6);
        }
        if (run.hook() != Hook.XDP) {
            Skb s = run.skb();
            p.set(LE16, 6, (short) out.mtu());
            if (s.length() > out.mtu() + XdpBuff.ETH_HLEN + 4) {
                return RET_FRAG_NEEDED;
            }
            return RET_SUCCESS;
        }
        p.set(LE16, 6, (short) mtu);
        return RET_SUCCESS;
    }
}
