package dev.jxdp.hooks;

import dev.jxdp.exec.Helper;
import dev.jxdp.exec.HelperContext;
import dev.jxdp.exec.MemoryFault;
import dev.jxdp.maps.EbpfMap;
import dev.jxdp.maps.MapFlags;
import dev.jxdp.maps.MapTable;
import dev.jxdp.maps.PerfEventArray;
import java.lang.foreign.MemorySegment;
import java.util.Map;

/**
 * bpf_perf_event_output for packet programs (bpf_xdp_event_output, bpf_skb_event_output): the sample
 * is the program's {@code size} bytes followed by the first {@code (flags & BPF_F_CTXLEN_MASK) >> 32}
 * bytes of the packet (across an XDP frame's fragments), -EFAULT if the packet is shorter.
 */
final class PerfOutputHelper {
    private PerfOutputHelper() {}

    static final int PERF_EVENT_OUTPUT = 25;

    static void register(Map<Integer, Helper> into, MapTable maps) {
        into.put(PERF_EVENT_OUTPUT, (ctx, c, map, flags, data, size) -> output(ctx, maps, c, map, flags, data, size));
    }

    private static long output(HelperContext ctx, MapTable maps, long context, long handle, long flags, long data, long size) {
        PacketRun run = HelperArgs.context(ctx, context, "bpf_perf_event_output");
        EbpfMap m = maps.byHandle(handle);
        if (!(m instanceof PerfEventArray pa)) {
            throw new MemoryFault("bpf_perf_event_output on " + (m == null ? "0x" + Long.toHexString(handle) : m)
                    + ", which is not a perf event array");
        }
        if ((flags & ~(MapFlags.CTXLEN_MASK | MapFlags.INDEX_MASK)) != 0) {
            return -22;
        }
        long packetBytes = (flags & MapFlags.CTXLEN_MASK) >>> 32;
        long available = run.xdp() != null ? run.xdp().length() : run.skb().length();
        if (packetBytes > available) {
            return -14;
        }
        MemorySegment meta = HelperArgs.memory(ctx, data, size, false);
        byte[] sample = new byte[Math.toIntExact(size + packetBytes)];
        MemorySegment s = MemorySegment.ofArray(sample);
        MemorySegment.copy(meta, 0, s, 0, size);
        if (packetBytes > 0) {
            if (run.xdp() != null) {
                run.xdp().copy(0, s.asSlice(size), packetBytes, false);
            } else {
                MemorySegment.copy(run.skb().bytes(), 0, s, size, packetBytes);
            }
        }
        return pa.output(ctx.worker(), flags & MapFlags.INDEX_MASK, s);
    }
}
