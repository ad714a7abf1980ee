package dev.jxdp.hooks;

import dev.jxdp.exec.Helper;
import java.util.Map;

/**
 * The XDP frame helpers (net/core/filter.c): bpf_xdp_adjust_head, bpf_xdp_adjust_meta,
 * bpf_xdp_adjust_tail, bpf_xdp_get_buff_len, bpf_xdp_load_bytes, bpf_xdp_store_bytes. The bounds
 * and their checks are {@link XdpBuff}'s; a helper that moves them replaces the program's packet
 * regions, so that pointers into bytes that are no longer the packet fault, as the verifier makes the
 * program reload them.
 */
final class XdpHelpers {
    private XdpHelpers() {}

    static final int ADJUST_HEAD = 44;
    static final int ADJUST_META = 54;
    static final int ADJUST_TAIL = 65;
    static final int GET_BUFF_LEN = 188;
    static final int LOAD_BYTES = 189;
    static final int STORE_BYTES = 190;

    static void register(Map<Integer, Helper> into) {
        into.put(ADJUST_HEAD, (ctx, xdp, offset, c, d, e) -> bounds(ctx, xdp, "bpf_xdp_adjust_head", b -> b.adjustHead((int) offset)));
        into.put(ADJUST_META, (ctx, xdp, offset, c, d, e) -> bounds(ctx, xdp, "bpf_xdp_adjust_meta", b -> b.adjustMeta((int) offset)));
        into.put(ADJUST_TAIL, (ctx, xdp, offset, c, d, e) -> bounds(ctx, xdp, "bpf_xdp_adjust_tail", b -> b.adjustTail((int) offset)));
        into.put(GET_BUFF_LEN, (ctx, xdp, b, c, d, e) -> HelperArgs.context(ctx, xdp, "bpf_xdp_get_buff_len").xdp().length());
        into.put(LOAD_BYTES, (ctx, xdp, offset, buf, len, e) -> HelperArgs.context(ctx, xdp, "bpf_xdp_load_bytes").xdp()
                .copy(HelperArgs.u32(offset), HelperArgs.memory(ctx, buf, HelperArgs.u32(len), true), HelperArgs.u32(len), false));
        into.put(STORE_BYTES, (ctx, xdp, offset, buf, len, e) -> HelperArgs.context(ctx, xdp, "bpf_xdp_store_bytes").xdp()
                .copy(HelperArgs.u32(offset), HelperArgs.memory(ctx, buf, HelperArgs.u32(len), false), HelperArgs.u32(len), true));
    }

    private interface Move {
        int apply(XdpBuff b);
    }

    private static long bounds(dev.jxdp.exec.HelperContext ctx, long xdp, String name, Move move) {
        PacketRun run = HelperArgs.context(ctx, xdp, name);
        int r = move.apply(run.xdp());
        if (r == 0) {
            run.boundsChanged(ctx);
        }
        return r;
    }
}
