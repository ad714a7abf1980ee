package dev.jxdp.nic.frame;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The virtio-net header in front of each frame that a port reads or writes with the kernel's
 * offloads: a tap opened with IFF_VNET_HDR, a packet socket with PACKET_VNET_HDR. Its ten bytes
 * ({@code struct virtio_net_hdr}: flags, gso_type, hdr_len, gso_size, csum_start, csum_offset) are
 * what the frame keeps as its {@link Offload}; a twelve-byte header adds num_buffers, which neither a
 * tap nor a packet socket uses (written as 0).
 *
 * <p>Little-endian: the kernel writes it so for a legacy virtio header on a little-endian machine (a
 * tap without TUNSETVNETLE, a packet socket always: {@code vio_le()}), and every machine a JDK 25
 * runs Linux on is little-endian here (x86-64, aarch64 as Linux runs it).
 */
public final class VnetHeader {
    /** sizeof(struct virtio_net_hdr): a packet socket's header. */
    public static final int BASE = 10;
    /** sizeof(struct virtio_net_hdr_mrg_rxbuf): a tap's header as jxdp asks for it (TUNSETVNETHDRSZ). */
    public static final int MRG_RXBUF = 12;

    private static final ValueLayout.OfShort LE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private VnetHeader() {}

    /**
     * Takes the header at {@code at} of {@code m} into {@code f} (which must already have its offset,
     * the header's csum_start counting from there). Returns whether it announces a large segment
     * (a gso_type other than none).
     */
    public static boolean read(MemorySegment m, long at, Frame f) {
        int flags = m.get(ValueLayout.JAVA_BYTE, at) & 0xff;
        int gsoType = m.get(ValueLayout.JAVA_BYTE, at + 1) & 0xff;
        if (flags == 0 && gsoType == Offload.GSO_NONE) {
            return false; // nothing to keep: most frames
        }
        f.setOffload(flags, gsoType, u16(m, at + 2), u16(m, at + 4), u16(m, at + 6), u16(m, at + 8));
        return gsoType != Offload.GSO_NONE;
    }

    /**
     * Writes {@code f}'s header ({@code size} bytes, {@link #BASE} or {@link #MRG_RXBUF}) at {@code at}
     * of {@code m}: what came in with the frame, or zeros (nothing for the kernel to do). hdr_len is
     * held to the frame's length and a csum_start that a program moved before the frame's start to 0,
     * so that the kernel is never handed a header pointing outside the frame.
     */
    public static void write(Frame f, MemorySegment m, long at, int size) {
        m.set(ValueLayout.JAVA_BYTE, at, (byte) f.offloadFlags());
        m.set(ValueLayout.JAVA_BYTE, at + 1, (byte) f.gsoType());
        m.set(LE16, at + 2, (short) Math.min(f.hdrLen(), f.length()));
        m.set(LE16, at + 4, (short) f.gsoSize());
        m.set(LE16, at + 6, (short) Math.max(0, f.csumStart()));
        m.set(LE16, at + 8, (short) f.csumOffset());
        if (size == MRG_RXBUF) {
            m.set(LE16, at + 10, (short) 0);
        }
    }

    private static int u16(MemorySegment m, long at) {
        return Short.toUnsignedInt(m.get(LE16, at));
    }
}
