package dev.jxdp.hooks;

import dev.jxdp.maps.EbpfMap;
import dev.jxdp.obj.MapType;

/**
 * Where the last redirect helper pointed: the kernel's per-CPU {@code struct bpf_redirect_info}, here
 * one per worker. As in the kernel it outlives the program run: a program that calls bpf_redirect and
 * returns XDP_PASS leaves its target for the next XDP_REDIRECT on that worker, and what acts on the
 * verdict (the XDP hook's xdp_do_redirect, tc's skb_do_redirect) clears the parts the kernel clears.
 */
public final class RedirectInfo {
    /** ri->map_id for "bpf_redirect, no map" (INT_MAX: never a real map id). */
    static final int NO_MAP = Integer.MAX_VALUE;

    /** BPF_F_INGRESS, BPF_F_BROADCAST, BPF_F_EXCLUDE_INGRESS (include/uapi/linux/bpf.h) and the kernel-internal BPF_F_PEER/NEIGH/NEXTHOP. */
    public static final long F_INGRESS = 1;
    public static final long F_BROADCAST = 1L << 3;
    public static final long F_EXCLUDE_INGRESS = 1L << 4;
    static final long F_NEIGH = 1L << 16;
    static final long F_PEER = 1L << 17;
    static final long F_NEXTHOP = 1L << 18;

    int tgtIndex;
    long flags;
    /** 0: nothing; {@link #NO_MAP}: bpf_redirect; otherwise the map's id + 1 (jxdp map ids start at 0). */
    int mapId;
    MapType mapType;
    /** The looked-up entry (DevMap.Target, CpuMap.Target, XskMap socket), or null. */
    Object target;
    /** The map, for BPF_F_BROADCAST. */
    EbpfMap map;
    /** bpf_redirect_neigh's next hop (family and address), or null. */
    byte[] nexthop;

    /** The target ifindex (bpf_redirect, bpf_redirect_peer/neigh, or the devmap key). */
    public int targetIndex() {
        return tgtIndex;
    }

    public long flags() {
        return flags;
    }

    public MapType mapType() {
        return mapType;
    }

    /** Forgets everything (a fresh worker). */
    void clear() {
        tgtIndex = 0;
        flags = 0;
        mapId = 0;
        mapType = null;
        target = null;
        map = null;
        nexthop = null;
    }

    @Override
    public String toString() {
        return "redirect[index " + tgtIndex + ", flags 0x" + Long.toHexString(flags) + ", map " + (mapId == NO_MAP ? "none" : mapId)
                + (mapType == null ? "" : " " + mapType) + "]";
    }
}
