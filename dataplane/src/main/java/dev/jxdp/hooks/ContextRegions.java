package dev.jxdp.hooks;

import dev.jxdp.exec.Permission;
import dev.jxdp.exec.Region;
import dev.jxdp.exec.RegionKind;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Context regions for callers that run a program themselves, outside a {@link PacketRun} (engine
 * tests, tools): an {@code xdp_md} over a frame and a {@code __sk_buff} over an skb, with the same
 * fields and access rules the hooks use. Each reserves the struct's size in {@code arena} so that no
 * other region can sit at its addresses.
 */
public final class ContextRegions {
    private ContextRegions() {}

    /** xdp_md for a program attached to a device (SEC("xdp")). */
    public static Region xdpMd(Arena arena, XdpBuff frame) {
        XdpContext handler = new XdpContext(XdpMdRules.DEVICE);
        handler.frame(frame);
        return region(arena, "xdp_md", XdpMdField.STRUCT_SIZE, handler);
    }

    /** __sk_buff for a tc program. */
    public static Region skBuff(Arena arena, Skb skb) {
        SkbContext handler = new SkbContext(SkBuffRules.TC);
        handler.skb(skb);
        return region(arena, "__sk_buff", SkBuffField.STRUCT_SIZE, handler);
    }

    private static Region region(Arena arena, String name, int size, dev.jxdp.exec.RegionHandler handler) {
        MemorySegment reserved = arena.allocate(size, 8);
        return new Region.Handled(name, RegionKind.CONTEXT, reserved.address(), size, Permission.READ_WRITE, handler);
    }
}
