package dev.jxdp.nic.port.gen;

import dev.jxdp.nic.Port;
import dev.jxdp.nic.PortConfig;
import dev.jxdp.nic.Worker;
import dev.jxdp.nic.frame.Frame;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A port whose wire is a traffic generator: it receives synthetic Ethernet/IPv4/UDP frames (valid
 * checksums) of a {@link SizeMix} spread over a number of flows, as fast as it can or at a packet rate,
 * for a count of frames or until stopped. Flow k goes from 198.18.0.0 + k + 1 (RFC 2544's benchmarking
 * range 198.18.0.0/15), port 1024 + k mod 64512, to 198.19.0.1 port 9 (discard). Which flow and size
 * each frame gets comes from a random generator seeded by the options: the same seed gives the same
 * frames. It transmits nothing.
 *
 * <p>Frames that find the ring full are counted rx_missed (a NIC overrun), unless {@link Options#lossless()}.
 *
 * <p>{@link Options#inline() Inline} (top speed only), there is no generator thread: each worker makes
 * the frames of its own receive queue when it polls ({@link #pull}), as the kernel's live-frames test
 * run makes its frames on the CPU that runs XDP, so no frame crosses a ring or a thread and the rate is
 * what the workers take. The flows are split by the queue RSS gives them (each queue draws from its
 * own flows, with its own random generator: queue 0's from the seed, so one queue gives the frames the
 * thread gives), frames are stamped once per batch, and none is ever missed: a worker takes only what
 * it processes, and a pool with no free buffer makes a short batch.
 */
public final class GeneratorPort extends Port {
    /**
     * @param mix frame sizes
     * @param flows how many flows (1 or more)
     * @param count frames to send, 0 for no end
     * @param pps frames per second, 0 for as fast as possible
     * @param seed the random generator's seed
     * @param dstMac the frames' destination MAC
     * @param lossless wait for room in a full ring instead of dropping
     * @param inline made by the workers as they poll, no generator thread (top speed only; see the class comment)
     */
    public record Options(SizeMix mix, int flows, long count, double pps, long seed, byte[] dstMac, boolean lossless, boolean inline) {
        public Options {
            if (inline && pps > 0) {
                throw new IllegalArgumentException("an inline generator runs at top speed: it has no clock of its own to pace " + pps + " pps");
            }
            if (flows < 1 || flows > 131_070) {
                throw new IllegalArgumentException("1 to 131070 flows (RFC 2544's /15), not " + flows);
            }
            if (count < 0 || pps < 0 || Double.isNaN(pps)) {
                throw new IllegalArgumentException("count and pps must not be negative");
            }
            dstMac = dstMac.clone();
            if (dstMac.length != 6) {
                throw new IllegalArgumentException("a MAC address has 6 bytes");
            }
        }

        /** 64-byte frames, one flow, no end, top speed, seed 1, to 02:00:00:00:00:01. */
        public static Options defaults() {
            return new Options(new SizeMix.Fixed(64), 1, 0, 0, 1, new byte[] {2, 0, 0, 0, 0, 1}, false, false);
        }

        public Options withMix(SizeMix m) {
            return new Options(m, flows, count, pps, seed, dstMac, lossless, inline);
        }

        public Options withFlows(int n) {
            return new Options(mix, n, count, pps, seed, dstMac, lossless, inline);
        }

        public Options withCount(long n) {
            return new Options(mix, flows, n, pps, seed, dstMac, lossless, inline);
        }

        public Options withPps(double r) {
            return new Options(mix, flows, count, r, seed, dstMac, lossless, inline);
        }

        public Options withSeed(long s) {
            return new Options(mix, flows, count, pps, s, dstMac, lossless, inline);
        }

        public Options withLossless(boolean l) {
            return new Options(mix, flows, count, pps, seed, dstMac, l, inline);
        }

        public Options withInline(boolean i) {
            return new Options(mix, flows, count, pps, seed, dstMac, lossless, i);
        }

        @Override
        public byte[] dstMac() {
            return dstMac.clone();
        }
    }

    private static final int SRC_BASE = 198 << 24 | 18 << 16;
    private static final int DST = 198 << 24 | 19 << 16 | 1;

    private final Options options;
    private final byte[] srcMac;
    private final byte[] dstMac;
    private final CountDownLatch finished = new CountDownLatch(1);
    /** One template per frame length, made on first use (IMIX has three): a few, so a scan beats hashing a boxed length. */
    private UdpTemplate[] templates = new UdpTemplate[0];
    /**
     * Each flow's RSS hash, computed on its first frame: a NIC hashes in hardware at no cost to the
     * host, and the hash of a flow never changes, so the generator thread need not pay for it per frame.
     */
    private final int[] flowHashes;
    private final boolean[] flowHashed;
    private volatile long generated;
    /** Inline: each receive queue's flows and random generator (only its worker touches them). */
    private final Lane[] lanes;
    /** Inline: the next sequence number, claimed a batch at a time by the workers. */
    private final AtomicLong nextSequence = new AtomicLong();
    private final long epochOffset = System.currentTimeMillis() * 1_000_000L - System.nanoTime();
    /** Inline, one frame size: its template, found once instead of per frame. */
    private UdpTemplate fixedTemplate;

    /** One receive queue's share of an inline generator: the flows RSS gives that queue. */
    private static final class Lane {
        final int[] flows;
        final SplittableRandom random;
        /** A batch's flows and sizes, drawn before its frames are written (see {@link #pull}); a worker's batch at most. */
        int[] drawnFlows = new int[Worker.MAX_BATCH];
        int[] drawnSizes = new int[Worker.MAX_BATCH];

        Lane(int[] flows, SplittableRandom random) {
            this.flows = flows;
            this.random = random;
        }
    }

    public GeneratorPort(String name, PortConfig config, Options options) {
        super(name, config);
        this.options = options;
        this.srcMac = config.mac();
        this.dstMac = options.dstMac();
        this.flowHashes = new int[options.flows()];
        this.flowHashed = new boolean[options.flows()];
        int largest = options.mix().largest();
        if (largest - SizeMix.FCS > config.layout().frameRoom()) {
            throw new IllegalArgumentException(largest + "-byte frames do not fit buffers with room for " + config.layout().frameRoom());
        }
        this.lanes = options.inline() ? lanes() : null;
    }

    /**
     * Inline: every template made now (several workers read them), every flow's hash and queue known, and
     * a random generator per queue (queue 0's is the seed's, as the thread's is).
     */
    private Lane[] lanes() {
        switch (options.mix()) {
            case SizeMix.Fixed f -> fixedTemplate = template(f.size() - SizeMix.FCS);
            case SizeMix.Imix i -> {
                for (int size : SizeMix.Imix.sizes()) {
                    template(size - SizeMix.FCS);
                }
            }
        }
        int queues = rxQueueCount();
        int[] perQueue = new int[queues];
        int[] queueOf = new int[options.flows()];
        MemorySegment scratch = MemorySegment.ofArray(new byte[UdpFrames.HEADERS + 18]);
        int probe = (int) scratch.byteSize();
        for (int flow = 0; flow < queueOf.length; flow++) {
            // the hash covers addresses and ports only, so a minimal frame of the flow gives every size's hash
            UdpFrames.write(scratch, 0, probe, dstMac, srcMac, SRC_BASE + flow + 1, DST, 1024 + flow % 64512, 9, 0);
            flowHashes[flow] = rss().hash(scratch, 0, probe);
            flowHashed[flow] = true;
            queueOf[flow] = rss().queue(flowHashes[flow]);
            perQueue[queueOf[flow]]++;
        }
        Lane[] l = new Lane[queues];
        for (int q = 0; q < queues; q++) {
            int[] flows = new int[perQueue[q]];
            int k = 0;
            for (int flow = 0; flow < queueOf.length; flow++) {
                if (queueOf[flow] == q) {
                    flows[k++] = flow;
                }
            }
            l[q] = new Lane(flows, new SplittableRandom(options.seed() + q * 0x9E37_79B9_7F4A_7C15L));
        }
        return l;
    }

    @Override
    public String describe() {
        return "generator (" + options.mix() + ", " + options.flows() + " flows, seed " + options.seed() + ")";
    }

    /** Frames generated so far (delivered or counted missed). */
    public long generated() {
        if (options.inline()) {
            long claimed = nextSequence.get(); // every claimed number was delivered, but those past the count
            return options.count() > 0 ? Math.min(claimed, options.count()) : claimed;
        }
        return generated;
    }

    public boolean awaitFinished(long timeout, TimeUnit unit) throws InterruptedException {
        return finished.await(timeout, unit);
    }

    @Override
    protected void open() {}

    @Override
    protected boolean hasReceiver() {
        return true;
    }

    @Override
    protected boolean hasTransmitter() {
        return false;
    }

    @Override
    protected boolean receivesInline() {
        return options.inline();
    }

    /**
     * Inline: the polling worker's batch for {@code queue}. Buffers first (as many as are free, up to
     * {@code max}), then that many sequence numbers claimed at once; with a count, frames past it go
     * back and the port has received all.
     */
    @Override
    protected int pull(int queue, Frame[] into, int max) {
        Lane lane = lanes[queue];
        if (lane.flows.length == 0) {
            return 0; // RSS gives this queue no flow
        }
        int n = 0;
        while (n < max) {
            Frame f = newFrame(queue);
            if (f == null) {
                break; // every buffer is on its way somewhere: a short batch, the wire waits
            }
            into[n++] = f;
        }
        if (n == 0) {
            return 0;
        }
        long first = nextSequence.getAndAdd(n);
        long count = options.count();
        if (count > 0 && first + n >= count) {
            int keep = (int) Math.max(0, Math.min(n, count - first));
            for (int i = keep; i < n; i++) {
                into[i].release();
                into[i] = null;
            }
            n = keep;
            receivedAll();
            finished.countDown();
        }
        long stamp = epochOffset + System.nanoTime();
        // The batch's draws first, in the order the generator thread makes them (a flow, then a size,
        // per frame: queue 0 keeps the thread's sequence): one tight loop on the random generator's
        // chain, so that writing the frames below does not wait on it frame by frame (2 ns a frame).
        SplittableRandom random = lane.random;
        int[] flows = lane.flows;
        if (lane.drawnFlows.length < n) {
            lane.drawnFlows = new int[n];
            lane.drawnSizes = new int[n];
        }
        int[] drawnFlows = lane.drawnFlows;
        int[] drawnSizes = lane.drawnSizes;
        UdpTemplate fixed = fixedTemplate;
        SizeMix mix = options.mix();
        for (int i = 0; i < n; i++) {
            drawnFlows[i] = flows[random.nextInt(flows.length)]; // drawn even from one flow (the thread does)
            if (fixed == null) {
                drawnSizes[i] = mix.next(random);
            }
        }
        int[] hashes = flowHashes;
        int ifindex = ifindex();
        for (int i = 0; i < n; i++) {
            Frame f = into[i];
            int flow = drawnFlows[i];
            UdpTemplate t = fixed != null ? fixed : template(drawnSizes[i] - SizeMix.FCS);
            t.write(f.buffer(), f.offset(), SRC_BASE + flow + 1, 1024 + flow % 64512, first + i);
            f.setReceived(t.length(), stamp, ifindex, queue, hashes[flow]); // the lane's flows are those RSS puts on its queue
        }
        return n;
    }

    @Override
    protected void receiveLoop() throws IOException {
        try {
            SplittableRandom random = new SplittableRandom(options.seed());
            long epochOffset = System.currentTimeMillis() * 1_000_000L - System.nanoTime();
            long start = System.nanoTime();
            double gap = options.pps() > 0 ? 1e9 / options.pps() : 0;
            int batch = 0;
            for (long seq = 0; receiving() && (options.count() == 0 || seq < options.count()); ) {
                if (gap > 0) {
                    long due = start + (long) (seq * gap);
                    long now;
                    while (receiving() && (now = System.nanoTime()) - due < 0) {
                        deliverDone();
                        batch = 0;
                        long left = due - now;
                        if (left > 100_000) {
                            LockSupport.parkNanos(Math.min(left - 50_000, 50_000_000));
                        } else {
                            Thread.onSpinWait();
                        }
                    }
                }
                Frame f = newFrame();
                if (f == null) {
                    if (options.lossless()) {
                        deliverDone();
                        LockSupport.parkNanos(20_000);
                        continue;
                    }
                    random.nextInt(options.flows()); // the same draws as a delivered frame: the sequence stays the seed's
                    options.mix().next(random);
                    rxQueue(0).missed.increment();
                    generated = ++seq;
                    continue;
                }
                int flow = random.nextInt(options.flows());
                int length = options.mix().next(random) - SizeMix.FCS;
                UdpTemplate t = template(length);
                t.write(f.buffer(), f.offset(), SRC_BASE + flow + 1, 1024 + flow % 64512, seq);
                f.setLength(length);
                f.setTimestampNanos(epochOffset + System.nanoTime());
                if (!flowHashed[flow]) {
                    flowHashes[flow] = rss().hash(f.buffer(), f.offset(), length);
                    flowHashed[flow] = true;
                }
                generated = ++seq;
                if (options.lossless() ? !deliverWaiting(f, flowHashes[flow]) : !deliver(f, flowHashes[flow]) && !receiving()) {
                    return;
                }
                if (++batch == 64) {
                    deliverDone();
                    batch = 0;
                }
            }
        } finally {
            finished.countDown();
        }
    }

    private UdpTemplate template(int length) {
        for (UdpTemplate t : templates) {
            if (t.length() == length) {
                return t;
            }
        }
        UdpTemplate t = new UdpTemplate(length, dstMac, srcMac, DST, 9);
        templates = java.util.Arrays.copyOf(templates, templates.length + 1);
        templates[templates.length - 1] = t;
        return t;
    }

    @Override
    protected void closeResources() {
        finished.countDown();
    }
}
