package dev.jxdp.nic.testing;

import dev.jxdp.nic.Destination;
import dev.jxdp.nic.FrameProcessor;
import dev.jxdp.nic.Port;
import dev.jxdp.nic.WorkerContext;
import dev.jxdp.nic.frame.Frame;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/** Small frame processors for testing the NIC model without the XDP/tc pipeline. */
public final class Processors {
    private Processors() {}

    /** Every frame out of {@code port}. */
    public static FrameProcessor forwardTo(Port port) {
        return (frame, worker) -> port.transmit();
    }

    /** Every frame dropped. */
    public static FrameProcessor drop() {
        return (frame, worker) -> Destination.Verdict.DROP;
    }

    /** Every frame to the host port. */
    public static FrameProcessor toHost() {
        return (frame, worker) -> Destination.Verdict.HOST;
    }

    /** Every frame back out of the port it came in on (XDP_TX without touching the frame). */
    public static FrameProcessor reflect() {
        return (frame, worker) -> worker.port(frame.ingressIfindex()).transmit();
    }

    /** Counts frames per worker and per receive queue, then drops them. */
    public static final class Counting implements FrameProcessor {
        public final AtomicLongArray perWorker;
        public final AtomicLong total = new AtomicLong();

        public Counting(int workers) {
            this.perWorker = new AtomicLongArray(workers);
        }

        @Override
        public Destination receive(Frame frame, WorkerContext worker) {
            perWorker.incrementAndGet(worker.index());
            total.incrementAndGet();
            return Destination.Verdict.DROP;
        }
    }
}
