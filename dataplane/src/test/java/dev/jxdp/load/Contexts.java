package dev.jxdp.load;

import dev.jxdp.exec.MemoryFault;
import dev.jxdp.exec.MemoryMap;
import dev.jxdp.exec.Permission;
import dev.jxdp.exec.Region;
import dev.jxdp.exec.RegionHandler;
import dev.jxdp.exec.RegionKind;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Stand-ins for the XDP/tc hooks in tests of loaded objects: a frame in off-heap memory and a context
 * structure whose data/data_end/data_meta loads give the frame's addresses, as the kernel's ctx rewrite
 * does, with the other fields as BPF_PROG_TEST_RUN sets them for a frame on the loopback device.
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
        MemorySegment packet = copy(arena, frame);
        MemorySegment backing = arena.allocate(24, 8);
        backing.set(ValueLayout.JAVA_INT, 12, 1); // ingress_ifindex: lo
        Region ctx = handled(arena, "xdp_md", backing, 0, 4, 8, packet);
        MemoryMap m = object.memory().add(ctx).add(new Region.Mem("packet", RegionKind.PACKET, packet, Permission.READ_WRITE));
        return new Frame(m, ctx.address(), packet);
    }

    static Frame skb(Arena arena, LoadedObject object, byte[] frame) {
        MemorySegment packet = copy(arena, frame);
        MemorySegment backing = arena.allocate(192, 8);
        backing.set(ValueLayout.JAVA_INT, 0, frame.length); // len
        // protocol: the EtherType as the kernel stores it (network order in a u32's low half)
        backing.set(ValueLayout.JAVA_INT, 16, (frame[12] & 0xff) | (frame[13] & 0xff) << 8);
        backing.set(ValueLayout.JAVA_INT, 40, 1); // ifindex
        Region ctx = handled(arena, "__sk_buff", backing, 76, 80, 140, packet);
        MemoryMap m = object.memory().add(ctx).add(new Region.Mem("packet", RegionKind.PACKET, packet, Permission.READ_WRITE));
        return new Frame(m, ctx.address(), packet);
    }

    private static MemorySegment copy(Arena arena, byte[] frame) {
        // 256 bytes of headroom before the frame, as XDP_PACKET_HEADROOM, never part of the region.
        MemorySegment all = arena.allocate(256 + frame.length + 64, 64);
        MemorySegment packet = all.asSlice(256, frame.length);
        packet.copyFrom(MemorySegment.ofArray(frame));
        return packet;
    }

    private static Region handled(Arena arena, String name, MemorySegment backing, long dataOff, long dataEndOff, long metaOff,
            MemorySegment packet) {
        RegionHandler h = new RegionHandler() {
            @Override
            public long load(long offset, int bytes) {
                if (bytes == 4 && (offset == dataOff || offset == metaOff)) {
                    return packet.address();
                }
                if (bytes == 4 && offset == dataEndOff) {
                    return packet.address() + packet.byteSize();
                }
                return switch (bytes) {
                    case 1 -> backing.get(ValueLayout.JAVA_BYTE, offset) & 0xffL;
                    case 2 -> backing.get(ValueLayout.JAVA_SHORT_UNALIGNED, offset) & 0xffffL;
                    case 4 -> backing.get(ValueLayout.JAVA_INT_UNALIGNED, offset) & 0xffff_ffffL;
                    default -> backing.get(ValueLayout.JAVA_LONG_UNALIGNED, offset);
                };
            }

            @Override
            public void store(long offset, int bytes, long value) {
                if (offset == dataOff || offset == dataEndOff || offset == metaOff) {
                    throw new MemoryFault("ctx field at offset " + offset + " is read-only");
                }
                switch (bytes) {
                    case 1 -> backing.set(ValueLayout.JAVA_BYTE, offset, (byte) value);
                    case 2 -> backing.set(ValueLayout.JAVA_SHORT_UNALIGNED, offset, (short) value);
                    case 4 -> backing.set(ValueLayout.JAVA_INT_UNALIGNED, offset, (int) value);
                    default -> backing.set(ValueLayout.JAVA_LONG_UNALIGNED, offset, value);
                }
            }
        };
        return new Region.Handled(name, RegionKind.CONTEXT, backing.address(), backing.byteSize(), Permission.READ_WRITE, h);
    }
}
