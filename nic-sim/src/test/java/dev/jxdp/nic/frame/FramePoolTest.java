package dev.jxdp.nic.frame;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jxdp.nic.testing.NettyLeakGuard;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FramePoolTest {

    @Test
    void defaultLayoutIsTheKernelsHeadroomAJumboFrameAndSharedInfo() {
        assertEquals(256, FrameLayout.DEFAULT.headroom());
        assertEquals(9018, FrameLayout.DEFAULT.frameRoom());
        assertEquals(320, FrameLayout.DEFAULT.tailroom());
        assertEquals(256 + 9018 + 320, FrameLayout.DEFAULT.capacity());
    }

    @Test
    void framesSeeTheWholeBufferWithTheFrameAtTheHeadroom() {
        try (FramePool pool = new FramePool("t", FrameLayout.DEFAULT, 2)) {
            Frame f = pool.allocate();
            assertEquals(FrameLayout.DEFAULT.capacity(), f.buffer().byteSize());
            assertTrue(f.buffer().isNative());
            assertEquals(256, f.offset());
            f.copyFrom(new byte[] {1, 2, 3});
            assertEquals(3, f.length());
            assertEquals(2, f.buffer().get(ValueLayout.JAVA_BYTE, 257));
            f.release();
        }
    }

    @Test
    void aFullPoolRefusesInsteadOfGrowingAndReleasedFramesComeBack() {
        try (FramePool pool = new FramePool("t", FrameLayout.DEFAULT, 4)) {
            List<Frame> held = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                held.add(assertNotNullFrame(pool.allocate()));
            }
            assertNull(pool.allocate());
            assertEquals(4, pool.inUse());
            long address = held.get(0).buffer().address();
            held.forEach(Frame::release);
            assertEquals(4, pool.available());
            // the same buffers, recycled: no new memory
            List<Long> addresses = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Frame f = pool.allocate();
                addresses.add(f.buffer().address());
                f.release();
            }
            assertTrue(addresses.contains(address));
            assertEquals(4, pool.size());
        }
    }

    @Test
    void aFrameGoesBackOnlyWithItsLastReference() {
        try (FramePool pool = new FramePool("t", FrameLayout.DEFAULT, 1)) {
            Frame f = pool.allocate();
            f.retain();
            f.release();
            assertNull(pool.allocate(), "still referenced once");
            f.release();
            Frame again = pool.allocate();
            assertNotNull(again);
            assertEquals(1, again.refCnt());
            assertEquals(0, again.length(), "a recycled frame starts empty");
            again.release();
        }
    }

    @Test
    void boundsStayOutOfTheTailroom() {
        try (FramePool pool = new FramePool("t", new FrameLayout(256, 1500, 320), 1)) {
            Frame f = pool.allocate();
            f.setBounds(200, 1556, 8); // up to capacity - tailroom
            assertThrows(IllegalArgumentException.class, () -> f.setBounds(200, 1557, 0));
            assertThrows(IllegalArgumentException.class, () -> f.setBounds(4, 10, 8), "metadata before the buffer");
            assertThrows(IllegalArgumentException.class, () -> f.copyFrom(new byte[1501]));
            f.release();
        }
    }

    @Test
    void aReceivedFrameSitsAtTheHeadroomWithItsStampAndQueueAndStaysOutOfTheTailroom() {
        try (FramePool pool = new FramePool("t", new FrameLayout(256, 1500, 320), 1)) {
            Frame f = pool.allocate();
            f.setBounds(200, 40, 8);
            f.setReceived(1500, 123_456_789L, 7, 3, 0xabcd);
            assertEquals(256, f.offset());
            assertEquals(1500, f.length());
            assertEquals(0, f.metaLength());
            assertEquals(123_456_789L, f.timestampNanos());
            assertEquals(7, f.ingressIfindex());
            assertEquals(3, f.rxQueue());
            assertEquals(0xabcd, f.hash());
            assertThrows(IllegalArgumentException.class, () -> f.setReceived(1501, 0, 7, 3, 0), "one byte into the tailroom");
            assertThrows(IllegalArgumentException.class, () -> f.setReceived(-1, 0, 7, 3, 0));
            assertEquals(1500, f.length(), "a refused frame leaves the bounds as they were");
            f.release();
        }
    }

    @Test
    void buffersStartOnACacheLineAndTheirFramesSpreadOverCacheSets() {
        try (FramePool pool = new FramePool("t", FrameLayout.DEFAULT, 64)) {
            java.util.Set<Long> sets = new java.util.HashSet<>();
            List<Frame> held = new ArrayList<>();
            for (Frame f; (f = pool.allocate()) != null; ) {
                held.add(f);
                assertEquals(0, f.buffer().address() % 64, "buffer at a cache line");
                long first = f.buffer().address() + f.offset();
                sets.add(first >>> 6 & 63); // the set of a 64-set (32 KB, 8-way) L1 data cache
            }
            held.forEach(Frame::release);
            // 9 colours, in turn; Netty's 10,240-byte runs put every other buffer 2 KB further into a page
            assertTrue(sets.size() >= FramePool.COLOURS, "first lines in " + sets.size() + " sets: " + sets);
        }
    }

    @Test
    void aCopyHasTheBytesMetadataAndReceiveInformation() {
        try (FramePool pool = new FramePool("t", FrameLayout.DEFAULT, 2)) {
            Frame f = pool.allocate();
            f.copyFrom(new byte[] {9, 8, 7, 6});
            f.buffer().set(ValueLayout.JAVA_INT_UNALIGNED, 252, 0x11223344);
            f.setBounds(256, 4, 4);
            f.setReceived(5, 1, 0xabcdef);
            f.setTimestampNanos(123);
            Frame c = pool.copyOf(f);
            assertArrayEquals(f.toByteArray(), c.toByteArray());
            assertEquals(0x11223344, c.buffer().get(ValueLayout.JAVA_INT_UNALIGNED, 252));
            assertEquals(4, c.metaLength());
            assertEquals(5, c.ingressIfindex());
            assertEquals(0xabcdef, c.hash());
            assertEquals(123, c.timestampNanos());
            assertNull(pool.copyOf(f), "no buffer left");
            f.release();
            c.release();
        }
    }

    @Test
    void aClosedPoolsSegmentsFailInsteadOfTouchingFreedMemory() {
        FramePool pool = new FramePool("t", FrameLayout.DEFAULT, 1);
        Frame f = pool.allocate();
        var segment = f.buffer();
        f.release();
        pool.close();
        assertThrows(IllegalStateException.class, () -> segment.get(ValueLayout.JAVA_BYTE, 0));
        assertNull(pool.allocate());
    }

    @Test
    void aFrameDroppedWithoutReleaseIsReportedByNettysLeakDetector() {
        NettyLeakGuard.collect(); // start from a clean slate
        FramePool pool = new FramePool("leaky", FrameLayout.DEFAULT, 2);
        leakOne(pool);
        List<String> leaks = NettyLeakGuard.collectQuietly();
        assertTrue(leaks.stream().anyMatch(l -> l.startsWith("Frame leaked")), () -> "expected a Frame leak, got " + leaks);
        assertTrue(leaks.stream().anyMatch(l -> l.contains("received in the test")), "the access record names where it was touched");
        // the leaked frame's ByteBuf leaks too (collected with its frame): collect and forget that report
        pool.close();
        NettyLeakGuard.collectQuietly();
    }

    private static void leakOne(FramePool pool) {
        Frame f = pool.allocate();
        f.touch("received in the test");
        // no release: the frame becomes garbage still holding its reference
    }

    private static Frame assertNotNullFrame(Frame f) {
        assertNotNull(f);
        return f;
    }
}
