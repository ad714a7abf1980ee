package dev.jxdp.nic.port.gen;

import java.util.List;
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

    /** The largest size it gives. */
    int largest();

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

        @Override
        public int largest() {
            return size;
        }
    }

    /**
     * Simple IMIX: 7 frames of 64 bytes, 4 of 594 and 1 of 1518 in 12 (IP packets of 40 or more, 576 and
     * 1500 bytes: the minimum frame, the classic minimum datagram every host takes, and a full MTU),
     * picked at random in that proportion.
     */
    record Imix() implements SizeMix {
        /** The sizes (with FCS) and how many frames of each come in 12. */
        public static final List<Share> SHARES = List.of(new Share(64, 7), new Share(594, 4), new Share(1518, 1));

        /** {@code inTwelve} frames of {@code size} bytes in every 12. */
        public record Share(int size, int inTwelve) {}

        /** The sizes (with FCS), in the table's order, for whoever needs them apart or in words. */
        public static int[] sizes() {
            return SHARES.stream().mapToInt(Share::size).toArray();
        }

        /** The shares as a ratio, "7:4:1". */
        public static String ratio() {
            return SHARES.stream().map(s -> Integer.toString(s.inTwelve())).collect(java.util.stream.Collectors.joining(":"));
        }

        @Override
        public int largest() {
            return SHARES.stream().mapToInt(Share::size).max().orElseThrow();
        }

        @Override
        public int next(SplittableRandom random) {
            int r = random.nextInt(12);
            for (Share s : SHARES) {
                if (r < s.inTwelve()) {
                    return s.size();
                }
                r -= s.inTwelve();
            }
            throw new AssertionError("the shares add up to 12");
        }
    }
}
