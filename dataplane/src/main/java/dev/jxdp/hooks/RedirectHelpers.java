package dev.jxdp.hooks;

import dev.jxdp.exec.Helper;
import dev.jxdp.exec.HelperContext;
import dev.jxdp.exec.MemoryFault;
import dev.jxdp.maps.CpuMap;
import dev.jxdp.maps.DevMap;
import dev.jxdp.maps.EbpfMap;
import dev.jxdp.maps.MapTable;
import dev.jxdp.maps.XskMap;
import java.util.Map;

/**
 * The redirect helpers (net/core/filter.c): they only record where the packet should go
 * ({@link RedirectInfo}); the hook acts on it when the program returns XDP_REDIRECT or
 * TC_ACT_REDIRECT. Their own return values are the kernel's:
 *
 * <ul>
 *   <li>XDP bpf_redirect: XDP_REDIRECT, or XDP_ABORTED for any flag;
 *   <li>bpf_redirect_map: XDP_REDIRECT if the key has an entry (devmap, cpumap, xskmap) or the flags
 *       ask for BPF_F_BROADCAST (devmaps), else the low two bits of the flags (the action to take
 *       instead); XDP_ABORTED for flags the map type does not know;
 *   <li>tc bpf_redirect: TC_ACT_REDIRECT, or TC_ACT_SHOT for flags other than BPF_F_INGRESS;
 *       bpf_redirect_peer: TC_ACT_REDIRECT, TC_ACT_SHOT for any flag; bpf_redirect_neigh:
 *       TC_ACT_REDIRECT, TC_ACT_SHOT for flags or a short nexthop.
 * </ul>
 */
final class RedirectHelpers {
    private RedirectHelpers() {}

    static final int REDIRECT = 23;
    static final int REDIRECT_MAP = 51;
    static final int REDIRECT_NEIGH = 152;
    static final int REDIRECT_PEER = 155;

    private static final long XDP_ACTION_MASK = 3; // XDP_ABORTED | XDP_DROP | XDP_PASS | XDP_TX

    static void registerXdp(Map<Integer, Helper> into, MapTable maps) {
        into.put(REDIRECT, (ctx, ifindex, flags, c, d, e) -> {
            if (flags != 0) {
                return XdpAction.ABORTED.code();
            }
            RedirectInfo ri = PacketRun.of(ctx).redirect();
            ri.tgtIndex = (int) ifindex;
            ri.mapId = RedirectInfo.NO_MAP;
            ri.mapType = null;
            ri.target = null;
            return XdpAction.REDIRECT.code();
        });
        into.put(REDIRECT_MAP, (ctx, map, key, flags, d, e) -> redirectMap(ctx, maps, map, key, flags));
    }

    /** __bpf_xdp_redirect_map with the map type's lookup and flag mask. */
    private static long redirectMap(HelperContext ctx, MapTable maps, long handle, long key, long flags) {
        EbpfMap m = maps.byHandle(handle);
        int index = (int) key;
        long flagMask;
        Object target;
        switch (m) {
            case DevMap dm -> {
                flagMask = RedirectInfo.F_BROADCAST | RedirectInfo.F_EXCLUDE_INGRESS;
                target = dm.target(index);
            }
            case CpuMap cm -> {
                flagMask = 0;
                target = cm.target(index);
            }
            case XskMap xm -> {
                flagMask = 0;
                target = xm.socket(index);
            }
            case null, default -> throw new MemoryFault("bpf_redirect_map on " + (m == null ? "0x" + Long.toHexString(handle) : m)
                    + ": only devmaps, cpumaps and xskmaps redirect (the verifier refuses other maps)");
        }
        if ((flags & ~(XDP_ACTION_MASK | flagMask)) != 0) {
            return XdpAction.ABORTED.code();
        }
        RedirectInfo ri = PacketRun.of(ctx).redirect();
        ri.target = target;
        if (target == null && (flags & RedirectInfo.F_BROADCAST) == 0) {
            // A failed lookup clears the state, so that the last lookup of several always wins.
            ri.mapId = RedirectInfo.NO_MAP;
            ri.mapType = null;
            return flags & XDP_ACTION_MASK;
        }
        ri.tgtIndex = index;
        ri.mapId = m.id() + 1;
        ri.mapType = m.type();
        if ((flags & RedirectInfo.F_BROADCAST) != 0) {
            ri.map = m;
            ri.flags = flags;
        } else {
            ri.map = null;
            ri.flags = 0;
        }
        return XdpAction.REDIRECT.code();
    }

    static void registerTc(Map<Integer, Helper> into) {
        into.put(REDIRECT, (ctx, ifindex, flags, c, d, e) -> {
            if ((flags & ~RedirectInfo.F_INGRESS) != 0) {
                return TcAction.SHOT.code();
            }
            RedirectInfo ri = PacketRun.of(ctx).redirect();
            ri.flags = flags;
            ri.tgtIndex = (int) ifindex;
            return TcAction.REDIRECT.code();
        });
        into.put(REDIRECT_PEER, (ctx, ifindex, flags, c, d, e) -> {
            if (flags != 0) {
                return TcAction.SHOT.code();
            }
            RedirectInfo ri = PacketRun.of(ctx).redirect();
            ri.flags = RedirectInfo.F_PEER;
            ri.tgtIndex = (int) ifindex;
            return TcAction.REDIRECT.code();
        });
        into.put(REDIRECT_NEIGH, (ctx, ifindex, params, plen, flags, e) -> {
            // struct bpf_redir_neigh: __u32 nh_family; union { __be32 ipv4_nh; __u32 ipv6_nh[4]; } (20 bytes)
            if (plen != 0 && plen < 20 || flags != 0) {
                return TcAction.SHOT.code();
            }
            RedirectInfo ri = PacketRun.of(ctx).redirect();
            ri.flags = RedirectInfo.F_NEIGH | (plen != 0 ? RedirectInfo.F_NEXTHOP : 0);
            ri.tgtIndex = (int) ifindex;
            ri.nexthop = plen != 0 ? HelperArgs.memory(ctx, params, 20, false).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE) : null;
            return TcAction.REDIRECT.code();
        });
    }
}
