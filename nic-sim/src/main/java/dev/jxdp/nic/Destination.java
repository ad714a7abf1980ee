package dev.jxdp.nic;

/**
 * Where a frame goes after a {@link FrameProcessor} has seen it. The instances are made once (the
 * verdicts are constants, {@link Port#transmit()} and {@link Datapath#handover(int)} are fields), so
 * deciding a frame's fate allocates nothing.
 */
public sealed interface Destination {

    /** Fates that need no target. */
    enum Verdict implements Destination {
        /** Dropped on purpose (XDP_DROP, TC_ACT_SHOT): the buffer is recycled, the queue's drops counted. */
        DROP,
        /** Dropped because the program failed (XDP_ABORTED, an error): recycled, counted apart, as the kernel's xdp_exception. */
        ABORTED,
        /** To the local stack (XDP_PASS then TC_ACT_OK): the datapath's host port transmits it. */
        HOST,
        /**
         * Taken care of by the processor itself, which copied what it needed (a redirect to an AF_XDP
         * socket, whose receiver keeps a copy): the buffer is recycled, counted as delivered.
         */
        CONSUMED
    }

    /** Out of a port: into one of its transmit queues (XDP_TX, a devmap redirect, a tc redirect to egress). */
    final class Transmit implements Destination {
        private final Port port;

        Transmit(Port port) {
            this.port = port;
        }

        public Port port() {
            return port;
        }

        @Override
        public String toString() {
            return "transmit on " + port.name();
        }
    }

    /**
     * To another worker, which continues with the frame ({@link FrameProcessor#handedOver}): a cpumap
     * redirect, where the kernel queues the frame for another CPU.
     */
    final class Handover implements Destination {
        private final int worker;

        Handover(int worker) {
            this.worker = worker;
        }

        public int worker() {
            return worker;
        }

        @Override
        public String toString() {
            return "handover to worker " + worker;
        }
    }
}
