package dev.jxdp.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A worker keeps one base memory map per packet buffer (a NIC's pool of buffers comes round again):
 * whichever buffer and bounds a frame comes with, a checked run sees exactly that frame's packet, not
 * the bounds the buffer had last time nor another buffer's. Unverified on purpose, so that the checked
 * engine judges every access against the region table at run time.
 */
class PacketRegionsPerBufferTest {
    /** Reads the byte at data + 40 without a bounds check: inside a 60-byte frame, outside a 20-byte one. */
    private static final String READ_40 = "r2 = *(u32 *)(r1 + 0x0)\nr0 = *(u8 *)(r2 + 0x28)\nexit";

    private final PipelineFixture f = new PipelineFixture(1);

    @Test
    void eachBufferAndBoundsGetTheirOwnPacketRegion() {
        try (Arena arena = Arena.ofConfined();
                AsmObject o = AsmObject.load(f.pipeline.objectOptions().unverified(), List.of(), AsmObject.Prog.xdp("prog", READ_40))) {
            f.pipeline.attachXdp(f.eth0, o.program);
            MemorySegment a = arena.allocate(2048, 64);
            MemorySegment b = arena.allocate(2048, 64);
            // the byte read is the verdict: 1, XDP_DROP, wherever the read is allowed
            a.set(ValueLayout.JAVA_BYTE, 256 + 40, (byte) 1);
            b.set(ValueLayout.JAVA_BYTE, 256 + 40, (byte) 1);
            a.set(ValueLayout.JAVA_BYTE, 300 + 40, (byte) 1);
            Worker w = f.pipeline.worker(0);
            assertEquals(Outcome.Fate.DROPPED, w.receive(f.eth0, 0, a, 256, 60).fate(), "a, 60 bytes: byte 40 is the packet's");
            assertEquals(Outcome.Fate.ABORTED, w.receive(f.eth0, 0, b, 256, 20).fate(), "b, 20 bytes: byte 40 is past its end");
            assertEquals(Outcome.Fate.ABORTED, w.receive(f.eth0, 0, a, 256, 20).fate(), "a again, now 20 bytes: not its old 60");
            assertEquals(Outcome.Fate.DROPPED, w.receive(f.eth0, 0, b, 256, 60).fate(), "b, now 60 bytes");
            assertEquals(Outcome.Fate.ABORTED, w.receive(f.eth0, 0, a, 300, 20).fate(), "a, 20 bytes further on: byte 40 is past its end");
            assertEquals(Outcome.Fate.DROPPED, w.receive(f.eth0, 0, a, 256, 60).fate(), "a as at first");
            assertEquals(3, f.pipeline.faults().getFirst().count(), "three faults, all at the load (pc 1)");
            assertEquals(1, f.pipeline.faults().getFirst().fault().pc());
        }
    }

    @Test
    void manyBuffersEachKeepTheirOwnBoundsPastTheTablesGrowthAndLimit() {
        try (Arena arena = Arena.ofConfined();
                AsmObject o = AsmObject.load(f.pipeline.objectOptions().unverified(), List.of(), AsmObject.Prog.xdp("prog", READ_40))) {
            f.pipeline.attachXdp(f.eth0, o.program);
            Worker w = f.pipeline.worker(0);
            MemorySegment[] buffers = new MemorySegment[4200]; // past the 4096 a worker keeps per object
            for (int i = 0; i < buffers.length; i++) {
                buffers[i] = arena.allocate(1024, 64);
                buffers[i].set(ValueLayout.JAVA_BYTE, 256 + 40, (byte) 1);
            }
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < buffers.length; i++) {
                    int length = (i + round) % 2 == 0 ? 60 : 20;
                    Outcome.Fate want = length == 60 ? Outcome.Fate.DROPPED : Outcome.Fate.ABORTED;
                    assertEquals(want, w.receive(f.eth0, 0, buffers[i], 256, length).fate(), "buffer " + i + ", round " + round);
                }
            }
        }
    }
}
