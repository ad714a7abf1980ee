package dev.jxdp.hooks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/**
 * The XDP adjust helpers' edges. Every number here is what Linux 6.18 answered when a program called
 * the helper with that offset in BPF_PROG_TEST_RUN (4 KiB buffer, 256 bytes of headroom, 64-byte frame
 * unless said otherwise): 0 or -EINVAL (-22), -EACCES (-13) for a metadata length that is not a
 * multiple of 4. HelperKernelTest-style comparisons re-run them against the kernel where BPF is usable.
 */
class XdpBuffTest {
    private final Arena arena = Arena.ofAuto();

    private XdpBuff frame(int length) {
        MemorySegment page = arena.allocate(4096, 64);
        for (int i = 0; i < length; i++) {
            page.set(ValueLayout.JAVA_BYTE, 256 + i, (byte) i);
        }
        return new XdpBuff().reset(page, 256, length);
    }

    @Test
    void headMovesBackToTheFrameDescriptorAndForwardToAnEthernetHeader() {
        assertEquals(0, frame(64).adjustHead(-216)); // 256 - 40 bytes of struct xdp_frame
        assertEquals(-22, frame(64).adjustHead(-217));
        assertEquals(0, frame(64).adjustHead(50)); // leaves 14 bytes
        assertEquals(-22, frame(64).adjustHead(51));
        XdpBuff f = frame(64);
        assertEquals(0, f.adjustHead(-4));
        assertEquals(68, f.linearLength());
        assertEquals(0, f.byteAt(4), "the old first byte is 4 bytes in");
    }

    @Test
    void metadataMovesWithTheHead() {
        XdpBuff f = frame(64);
        assertEquals(0, f.adjustMeta(-8));
        f.metadata().fill((byte) 0xab);
        assertEquals(0, f.adjustHead(10));
        assertEquals(8, f.metaLength());
        assertTrue(f.metadata().elements(ValueLayout.JAVA_BYTE).allMatch(b -> b.get(ValueLayout.JAVA_BYTE, 0) == (byte) 0xab));
        // with 8 bytes of metadata the head can move back 8 bytes less
        XdpBuff g = frame(64);
        g.adjustMeta(-8);
        assertEquals(-22, g.adjustHead(-209));
        assertEquals(0, g.adjustHead(-208));
    }

    @Test
    void metadataIsFourByteMultiplesAfterTheFrameDescriptor() {
        assertEquals(0, frame(64).adjustMeta(-216)); // Linux 6.18 allows up to 255 bytes (meta_len is a u8)
        assertEquals(-22, frame(64).adjustMeta(-220));
        assertEquals(-13, frame(64).adjustMeta(-3));
        assertEquals(-22, frame(64).adjustMeta(4), "metadata cannot start after data");
        assertEquals(0, frame(64).adjustMeta(0));
        XdpBuff f = frame(64);
        assertEquals(0, f.adjustMeta(-32));
        assertEquals(0, f.adjustMeta(32), "and shrinks back to none");
        assertEquals(0, f.metaLength());
    }

    @Test
    void tailGrowsToTheSharedInfoAndShrinksToAnEthernetHeader() {
        assertEquals(0, frame(64).adjustTail(3456)); // 256 + 3520 = 4096 - 320
        assertEquals(-22, frame(64).adjustTail(3457));
        assertEquals(0, frame(64).adjustTail(-50));
        assertEquals(-22, frame(64).adjustTail(-51));
        XdpBuff f = frame(64);
        f.linear().fill((byte) 0x55);
        f.adjustTail(-10);
        assertEquals(0, f.adjustTail(10));
        assertEquals(0, f.byteAt(60), "grown bytes are zeroed, not what was there");
    }

    /** A 9000-byte frame as BPF_PROG_TEST_RUN builds it: 3520 linear bytes and fragments of 4096 and 1384. */
    private XdpBuff jumbo() {
        XdpBuff f = frame(3520).fragCapacity(4096);
        f.addFrag(arena.allocate(4096), 0, 4096);
        f.addFrag(arena.allocate(4096), 0, 1384);
        return f;
    }

    @Test
    void multiBufferTailShrinksFragmentsFirstThenTheLinearPart() {
        assertEquals(9000, jumbo().length());
        XdpBuff f = jumbo();
        assertEquals(0, f.adjustTail(-5480));
        assertFalse(f.hasFrags());
        assertEquals(3520, f.length());
        XdpBuff g = jumbo();
        assertEquals(0, g.adjustTail(-5481));
        assertEquals(3519, g.length());
        XdpBuff h = jumbo();
        assertEquals(0, h.adjustTail(-8986));
        assertEquals(14, h.length());
        assertEquals(-22, jumbo().adjustTail(-8987));
        XdpBuff i = jumbo();
        assertEquals(0, i.adjustTail(-100));
        assertEquals(2, i.fragCount());
        assertEquals(8900, i.length());
    }

    @Test
    void multiBufferTailGrowsIntoTheLastFragmentsPage() {
        XdpBuff f = jumbo();
        assertEquals(0, f.adjustTail(2712)); // 4096 - 1384
        assertEquals(11712, f.length());
        assertEquals(-22, jumbo().adjustTail(2713));
        XdpBuff noRoom = frame(3520);
        noRoom.addFrag(arena.allocate(4096), 0, 100);
        assertEquals(-95, noRoom.adjustTail(1), "a queue without frag_size cannot grow fragments: EOPNOTSUPP");
    }

    @Test
    void bytesCrossFragments() {
        XdpBuff f = jumbo();
        byte[] in = new byte[100];
        for (int i = 0; i < in.length; i++) {
            in[i] = (byte) (i + 1);
        }
        assertEquals(0, f.copy(3470, MemorySegment.ofArray(in), 100, true));
        byte[] out = new byte[100];
        assertEquals(0, f.copy(3470, MemorySegment.ofArray(out), 100, false));
        assertArrayEquals(in, out);
        assertEquals(-22, f.copy(8950, MemorySegment.ofArray(out), 51, false), "past the end");
        assertEquals(-14, f.copy(0x10000, MemorySegment.ofArray(out), 1, false), "offsets above 0xffff are EFAULT");
        assertArrayEquals(java.util.Arrays.copyOfRange(f.toByteArray(), 3470, 3570), in);
    }
}
