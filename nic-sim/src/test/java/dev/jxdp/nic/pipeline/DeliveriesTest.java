package dev.jxdp.nic.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.jxdp.nic.Destination;
import dev.jxdp.nic.Port;
import dev.jxdp.nic.WorkerContext;
import dev.jxdp.nic.frame.Frame;
import dev.jxdp.nic.frame.FrameLayout;
import dev.jxdp.nic.frame.FramePool;
import dev.jxdp.nic.frame.Offload;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A large segment leaves with the segment size its skb had last (bpf_skb_adjust_room changes it, see
 * dataplane's PipelineSegmentsTest): the frame itself when the packet is in its buffer, and a copy
 * when it is not.
 */
class DeliveriesTest {
    /** The copies a worker would send on, kept for the test to look at. */
    private static final class Emitted implements WorkerContext {
        final List<Frame> frames = new ArrayList<>();

        @Override
        public int index() {
            return 0;
        }

        @Override
        public int workers() {
            return 1;
        }

        @Override
        public Port port(int ifindex) {
            return null;
        }

        @Override
        public Destination handover(int index) {
            throw new UnsupportedOperationException("no cpumap in this test");
        }

        @Override
        public Frame copy(Frame frame) {
            throw new UnsupportedOperationException("no copies asked for in this test");
        }

        @Override
        public boolean emit(Frame frame, Destination destination) {
            frames.add(frame);
            return true;
        }
    }

    @Test
    void aLargeSegmentLeavesWithTheSizeItsSkbHadLast() {
        try (FramePool pool = new FramePool("deliveries", FrameLayout.DEFAULT, 4)) {
            Frame f = pool.allocate();
            assertNotNull(f);
            f.copyFrom(MemorySegment.ofArray(new byte[3554]), 0, 3554);
            f.setOffload(Offload.F_NEEDS_CSUM, Offload.GSO_TCPV4, 54, 1000, 34, 16);
            Emitted worker = new Emitted();
            Deliveries d = new Deliveries();
            d.start(f, worker, false);
            // a broadcast: the first packet goes as a copy when a second one is found in the frame
            d.add(Destination.Verdict.HOST, f.buffer(), f.offset() - 8, 3562, 0, 992);
            d.add(Destination.Verdict.HOST, f.buffer(), f.offset() - 8, 3562, 0, 980);
            d.finish();
            assertEquals(980, f.gsoSize(), "the frame itself");
            assertEquals(1, worker.frames.size());
            Frame copy = worker.frames.getFirst();
            assertEquals(992, copy.gsoSize(), "the copy");
            assertEquals(Offload.GSO_TCPV4, copy.gsoType());
            copy.release();
            f.release();
        }
    }
}
