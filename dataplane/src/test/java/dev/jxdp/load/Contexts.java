package dev.jxdp.load;

import dev.jxdp.exec.MemoryMap;
import dev.jxdp.exec.Permission;
import dev.jxdp.exec.Region;
import dev.jxdp.exec.RegionKind;
import dev.jxdp.hooks.ContextRegions;
import dev.jxdp.hooks.Device;
import dev.jxdp.hooks.XdpBuff;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A frame and its xdp_md for tests that run a loaded program by hand, with their own worker and
 * attachment (the hooks' {@code PacketRun} would bring its own): the hooks' context over an XDP frame
 * received on the loopback device. Helpers that need the hooks' run state (the packet helpers) are
 * not for these runs.
 */
final class Contexts {
    private Contexts() {}

    /** A run's memory: the object's regions, the frame and its context; r1 is {@link #ctx}. */
    record Frame(MemoryMap memory, long ctx, MemorySegment packet) {
        byte[] bytes() {
            return packet.toArray(ValueLayout.JAVA_BYTE);
        }
    }

    static Frame xdp(Arena arena, LoadedObject object, byte[] frame) {
        MemorySegment buffer = arena.allocate(XdpBuff.PACKET_HEADROOM + frame.length + XdpBuff.SHARED_INFO, 64);
        XdpBuff buff = new XdpBuff().reset(buffer, XdpBuff.PACKET_HEADROOM, frame.length).receivedOn(Device.LOOPBACK.ifindex(), 0);
        MemorySegment packet = buff.linear();
        packet.copyFrom(MemorySegment.ofArray(frame));
        Region ctx = ContextRegions.xdpMd(arena, buff);
        MemoryMap m = object.memory().add(ctx).add(new Region.Mem("packet", RegionKind.PACKET, packet, Permission.READ_WRITE));
        return new Frame(m, ctx.address(), packet);
    }
}
