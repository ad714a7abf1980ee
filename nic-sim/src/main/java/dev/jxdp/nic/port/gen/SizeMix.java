package dev.jxdp.nic.port.gen;

import java.util.SplittableRandom;

/**
 * The sizes of generated frames, as Ethernet frame sizes on the wire including the 4-byte FCS (the
 * way RFC 2544 and IMIX tables count, 64 to 1518); the buffers hold frames 4 bytes shorter, since taps,
 * pcap files and XDP never see the FCS.
 */
public sealed interface SizeMix {
    /** The FCS the wire adds and the buffer does not hold. */
    int FCS = 4;

    /** The next frame's size on the wire. */
    int next(SplittableRandom random);

    /** Every frame {@code size} bytes (64 to 9018: a jumbo frame of MTU 9000 with its header and FCS). */
    record Fixed(int size) implements SizeMix {
        public Fixed {
            if (size < 64 || size > 9018) {
                throw new IllegalArgumentException("an Ethernet frame is 64 to 9018 bytes with its FCS, not " + size);
            }
        }

        @Override
        public int next(SplittableRandom random) {
            return size;
        }
    }

    /**
     * Simple IMIX: 7 frames of 64 bytes, 4 of 594 and 1 of 1518 in 12 (IP packets of 40 or more, 576 and
     * 1500 bytes: the minimum frame, the classic minimum datagram every host takes, and a full MTU),
     * picked at random in that proportion.
     */
    record Imix() implements SizeMix {
        @Override
        public int next(SplittableRandom random) {
            int r = random.nextInt(12);
            return r < 7 ? 64 : r < 11 ? 594 : 1518;
        }
    }
}
