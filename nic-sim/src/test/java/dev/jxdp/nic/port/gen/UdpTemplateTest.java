package dev.jxdp.nic.port.gen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The generator's templates write the very bytes {@link UdpFrames#write} writes (whose checksums
 * tshark judges in {@link GeneratorPortTest}): every length from the bare headers to a jumbo frame's,
 * sequence numbers with all 64 bits in use, sources across the generator's /15.
 */
class UdpTemplateTest {
    private static final byte[] DST_MAC = {2, 0, 0, 0, 0, 1};
    private static final byte[] SRC_MAC = {2, 0, 0, 0, 0, 2};
    private static final int DST = 198 << 24 | 19 << 16 | 1;

    @Test
    void templatesWriteWhatUdpFramesWrites() {
        SplittableRandom random = new SplittableRandom(2544);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment expected = arena.allocate(9100);
            MemorySegment actual = arena.allocate(9100);
            for (int length : new int[] {42, 43, 49, 50, 51, 60, 61, 590, 1514, 9014}) {
                UdpTemplate t = new UdpTemplate(length, DST_MAC, SRC_MAC, DST, 9);
                for (int i = 0; i < 2000; i++) {
                    int src = (198 << 24 | 18 << 16) + random.nextInt(1, 131071);
                    int port = random.nextInt(65536);
                    long seq = switch (i % 4) {
                        case 0 -> i;
                        case 1 -> random.nextLong();
                        case 2 -> -1L - i;
                        default -> (long) random.nextInt() << 16;
                    };
                    expected.fill((byte) 0x5a);
                    actual.fill((byte) 0xa5);
                    UdpFrames.write(expected, 7, length, DST_MAC, SRC_MAC, src, DST, port, 9, seq);
                    t.write(actual, 7, src, port, seq);
                    assertArrayEquals(expected.asSlice(7, length).toArray(ValueLayout.JAVA_BYTE), actual.asSlice(7, length).toArray(ValueLayout.JAVA_BYTE),
                            "length " + length + ", source " + Integer.toUnsignedString(src, 16) + ", port " + port + ", sequence " + seq);
                }
            }
        }
    }

    /**
     * A short frame is written as one 64-byte block only where the buffer has 64 bytes from its start:
     * at the very end of a buffer it is written byte-exact, and no byte before it or past the block moves.
     */
    @Test
    void shortFramesStayInsideTheirBuffer() {
        try (Arena arena = Arena.ofConfined()) {
            for (int length : new int[] {50, 60, 64}) {
                UdpTemplate t = new UdpTemplate(length, DST_MAC, SRC_MAC, DST, 9);
                MemorySegment expected = arena.allocate(length);
                UdpFrames.write(expected, 0, length, DST_MAC, SRC_MAC, (198 << 24 | 18 << 16) + 5, DST, 1029, 9, 77);
                for (int room : new int[] {0, 3, 64 - length, 64 - length + 1, 100}) {
                    MemorySegment buffer = arena.allocate(16 + length + room);
                    buffer.fill((byte) 0x5a);
                    t.write(buffer, 16, (198 << 24 | 18 << 16) + 5, 1029, 77);
                    assertArrayEquals(expected.toArray(ValueLayout.JAVA_BYTE), buffer.asSlice(16, length).toArray(ValueLayout.JAVA_BYTE),
                            "length " + length + ", room after it " + room);
                    long blockEnd = length + room >= 64 ? 16 + 64 : 16 + length;
                    for (long at = 0; at < buffer.byteSize(); at++) {
                        if (at < 16 || at >= blockEnd) {
                            assertEquals((byte) 0x5a, buffer.get(ValueLayout.JAVA_BYTE, at), "byte " + at + " moved, length " + length + ", room " + room);
                        }
                    }
                }
            }
        }
    }
}
