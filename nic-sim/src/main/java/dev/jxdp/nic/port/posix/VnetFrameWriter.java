package dev.jxdp.nic.port.posix;

import dev.jxdp.nic.frame.Frame;
import dev.jxdp.nic.frame.VnetHeader;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * One transmitting thread's writes of frames behind a virtio-net header ({@link VnetHeader}), as a tap
 * opened with IFF_VNET_HDR and a packet socket with PACKET_VNET_HDR take them: one write(2) with the
 * header in the headroom just before the frame (metadata there is dead once the frame leaves), or,
 * where a program moved the frame's start into the first bytes of the buffer, writev(2) of a header
 * of its own and the frame.
 */
public final class VnetFrameWriter {
    private final int headerSize;
    /** The header for a frame with no headroom left (made when first needed). */
    private MemorySegment spare;

    /** Headers of {@code headerSize} bytes: {@link VnetHeader#BASE} or {@link VnetHeader#MRG_RXBUF}. */
    public VnetFrameWriter(int headerSize) {
        this.headerSize = headerSize;
    }

    /** Writes {@code frame} behind its header to {@code fd} with {@code posix}'s calls; what write or writev returned. */
    public long write(Posix posix, int fd, Frame frame) {
        if (frame.offset() >= headerSize) {
            long at = frame.offset() - headerSize;
            VnetHeader.write(frame, frame.buffer(), at, headerSize);
            return posix.write(fd, frame.buffer().address() + at, frame.length() + (long) headerSize);
        }
        if (spare == null) {
            spare = Arena.ofAuto().allocate(headerSize, 8);
        }
        VnetHeader.write(frame, spare, 0, headerSize);
        return posix.writev2(fd, spare.address(), headerSize, frame.buffer().address() + frame.offset(), frame.length());
    }
}
