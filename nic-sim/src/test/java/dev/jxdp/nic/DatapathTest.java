package dev.jxdp.nic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jxdp.nic.frame.Frame;
import dev.jxdp.nic.port.gen.GeneratorPort;
import dev.jxdp.nic.port.gen.SizeMix;
import dev.jxdp.nic.port.pcap.PcapSink;
import dev.jxdp.nic.testing.Processors;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The NIC model with simple processors: RSS and queues, workers, batches, rings that overflow, stopping. */
@Timeout(120)
class DatapathTest {
    private static final ValueLayout.OfInt BE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    @TempDir
    Path tmp;

    private static int sourceIp(Frame f) {
        return f.buffer().get(BE32, f.offset() + 14 + 12);
    }

    @Test
    void rssKeepsEachFlowOnOneQueueAndEachQueueOnItsWorker() throws Exception {
        Map<Integer, Set<Integer>> queuesOfFlow = new ConcurrentHashMap<>();
        Map<Integer, Set<Integer>> workersOfQueue = new ConcurrentHashMap<>();
        FrameProcessor record = (f, w) -> {
            queuesOfFlow.computeIfAbsent(sourceIp(f), k -> ConcurrentHashMap.newKeySet()).add(f.rxQueue());
            workersOfQueue.computeIfAbsent(f.rxQueue(), k -> ConcurrentHashMap.newKeySet()).add(w.index());
            assertEquals(f.hash(), f.hash()); // the port stamped the RSS hash
            return Destination.Verdict.DROP;
        };
        GeneratorPort gen = new GeneratorPort("gen", PortConfig.of(2).withQueues(4, 1),
                GeneratorPort.Options.defaults().withFlows(64).withCount(5000).withLossless(true));
        try (Datapath dp = Datapath.builder().port(gen).workers(2).processor(record).build()) {
            dp.start();
            assertTrue(gen.awaitFinished(60, TimeUnit.SECONDS));
            awaitQuiet(dp);
            assertEquals(64, queuesOfFlow.size());
            queuesOfFlow.forEach((flow, queues) -> assertEquals(1, queues.size(), "flow " + Integer.toHexString(flow) + " on " + queues));
            assertEquals(Set.of(0, 1, 2, 3), workersOfQueue.keySet(), "64 flows reach all 4 queues");
            workersOfQueue.forEach((q, workers) -> assertEquals(Set.of(q % 2), workers, "queue " + q));
            long rx = 0;
            for (int q = 0; q < 4; q++) {
                rx += gen.rxQueue(q).packets.get();
                assertEquals(gen.rxQueue(q).packets.get(), gen.rxQueue(q).drops.get());
            }
            assertEquals(5000, rx);
            assertEquals(5000, dp.worker(0).counters.dropped.get() + dp.worker(1).counters.dropped.get());
        }
    }

    @Test
    void workersTakeBatchesOfAtMostTheirBudget() throws Exception {
        AtomicInteger largest = new AtomicInteger();
        FrameProcessor batches = new FrameProcessor() {
            @Override
            public Destination receive(Frame frame, WorkerContext worker) {
                return Destination.Verdict.DROP;
            }

            @Override
            public void receive(Frame[] frames, int count, Destination[] out, WorkerContext worker) {
                largest.accumulateAndGet(count, Math::max);
                FrameProcessor.super.receive(frames, count, out, worker);
            }
        };
        for (int budget : new int[] {64, 8}) {
            largest.set(0);
            // a ring bigger than the budget, filled while the worker sleeps through its first polls
            GeneratorPort gen = new GeneratorPort("gen", PortConfig.of(2).withRingSize(1024),
                    GeneratorPort.Options.defaults().withCount(20_000).withLossless(true));
            try (Datapath dp = Datapath.builder().port(gen).batchSize(budget).processor(batches).build()) {
                dp.start();
                assertTrue(gen.awaitFinished(60, TimeUnit.SECONDS));
                awaitQuiet(dp);
                assertTrue(largest.get() <= budget && largest.get() > 1, "largest batch " + largest.get() + " for budget " + budget);
            }
        }
    }

    @Test
    void aFullRingCountsMissedFramesAndTheMemoryStaysPut() throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        FrameProcessor stuck = (f, w) -> {
            try {
                go.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Destination.Verdict.DROP;
        };
        PortConfig config = PortConfig.of(2).withRingSize(16);
        GeneratorPort gen = new GeneratorPort("gen", config, GeneratorPort.Options.defaults().withCount(10_000));
        try (Datapath dp = Datapath.builder().port(gen).processor(stuck).build()) {
            dp.start();
            assertTrue(gen.awaitFinished(60, TimeUnit.SECONDS));
            RxQueue q = gen.rxQueue(0);
            // the worker holds one batch, the ring holds 16: everything else was missed, nothing grew
            assertTrue(q.missed.get() >= 10_000 - 16 - 64, "missed " + q.missed.get());
            assertTrue(gen.pool().inUse() <= 16 + 64, "in use " + gen.pool().inUse());
            assertEquals(config.poolSize(), gen.pool().size());
            go.countDown();
            awaitQuiet(dp);
            assertEquals(10_000, q.packets.get() + q.missed.get(), "every generated frame is received or missed");
            assertEquals(0, gen.pool().inUse());
        }
    }

    @Test
    void aLossySinkCountsWhatItsFullRingDroppedAndALosslessOneLosesNothing() throws Exception {
        for (boolean lossless : new boolean[] {false, true}) {
            PcapSink sink = new PcapSink("sink", PortConfig.of(3).withRingSize(16), tmp.resolve(lossless + ".pcap"), lossless);
            GeneratorPort gen = new GeneratorPort("gen", PortConfig.of(2), GeneratorPort.Options.defaults().withMix(new SizeMix.Fixed(1518))
                    .withCount(20_000).withLossless(true));
            try (Datapath dp = Datapath.builder().port(gen).port(sink).processor(Processors.forwardTo(sink)).build()) {
                dp.start();
                assertTrue(gen.awaitFinished(60, TimeUnit.SECONDS));
            }
            TxQueue q = sink.txQueue(0);
            assertEquals(20_000, q.packets.get() + q.dropped.get(), "every frame written or counted");
            if (lossless) {
                assertEquals(0, q.dropped.get());
            }
        }
    }

    @Test
    void handoverMovesAFrameToAnotherWorker() throws Exception {
        AtomicLong handedOverOn1 = new AtomicLong();
        Path out = tmp.resolve("out.pcap");
        PcapSink sink = new PcapSink("sink", PortConfig.of(3), out);
        FrameProcessor cpumap = new FrameProcessor() {
            @Override
            public Destination receive(Frame frame, WorkerContext worker) {
                return worker.handover(1);
            }

            @Override
            public Destination handedOver(Frame frame, WorkerContext worker) {
                if (worker.index() == 1) {
                    handedOverOn1.incrementAndGet();
                }
                return sink.transmit();
            }
        };
        GeneratorPort gen = new GeneratorPort("gen", PortConfig.of(2), GeneratorPort.Options.defaults().withCount(1000).withLossless(true));
        Datapath dp = Datapath.builder().port(gen).port(sink).workers(2).processor(cpumap).build();
        try (dp) {
            dp.start();
            assertTrue(gen.awaitFinished(60, TimeUnit.SECONDS));
            awaitQuiet(dp);
            assertNull(dp.handover(2), "no worker 2");
        }
        // worker 0 hands every frame over; a full backlog drops it there, as a full cpumap queue does
        long refused = dp.worker(0).counters.undeliverable.get();
        assertEquals(1000, dp.worker(0).counters.handedOver.get() + refused);
        assertEquals(dp.worker(0).counters.handedOver.get(), handedOverOn1.get());
        assertEquals(handedOverOn1.get(), sink.txQueue(0).packets.get() + sink.txQueue(0).dropped.get());
        assertTrue(handedOverOn1.get() > 0);
    }

    @Test
    void hostFramesGoToTheHostPortAndNowhereWithoutOne() throws Exception {
        PcapSink host = new PcapSink("host", PortConfig.of(3), tmp.resolve("host.pcap"));
        GeneratorPort gen = new GeneratorPort("gen", PortConfig.of(2), GeneratorPort.Options.defaults().withCount(100).withLossless(true));
        try (Datapath dp = Datapath.builder().port(gen).host(host).processor(Processors.toHost()).build()) {
            dp.start();
            assertTrue(gen.awaitFinished(60, TimeUnit.SECONDS));
            awaitQuiet(dp);
            assertEquals(100, dp.worker(0).counters.toHost.get());
        }
        assertEquals(100, host.txQueue(0).packets.get());

        GeneratorPort alone = new GeneratorPort("gen", PortConfig.of(2), GeneratorPort.Options.defaults().withCount(100).withLossless(true));
        try (Datapath dp = Datapath.builder().port(alone).processor(Processors.toHost()).build()) {
            dp.start();
            assertTrue(alone.awaitFinished(60, TimeUnit.SECONDS));
            awaitQuiet(dp);
            assertEquals(100, dp.worker(0).counters.undeliverable.get());
            assertEquals(0, alone.pool().inUse());
        }
    }

    @Test
    void aProcessorThatThrowsAbortsItsFramesAndTheWorkerGoesOn() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        FrameProcessor flaky = (f, w) -> {
            if (calls.incrementAndGet() % 2 == 0) {
                throw new IllegalStateException("boom");
            }
            return Destination.Verdict.DROP;
        };
        GeneratorPort gen = new GeneratorPort("gen", PortConfig.of(2), GeneratorPort.Options.defaults().withCount(1000).withLossless(true));
        try (Datapath dp = Datapath.builder().port(gen).batchSize(1).processor(flaky).build()) {
            dp.start();
            assertTrue(gen.awaitFinished(60, TimeUnit.SECONDS));
            awaitQuiet(dp);
            WorkerCounters c = dp.worker(0).counters;
            assertEquals(500, c.errors.get());
            assertEquals(500, c.aborted.get());
            assertEquals(500, c.dropped.get());
            assertEquals("boom", dp.lastProcessorError().getMessage());
            assertEquals(0, gen.pool().inUse());
        }
    }

    @Test
    void closingStopsEveryThreadAndGivesEveryBufferBack() throws Exception {
        GeneratorPort gen = new GeneratorPort("gen", PortConfig.of(2).withQueues(2, 2), GeneratorPort.Options.defaults().withFlows(8)
                .withMix(new SizeMix.Imix()));
        PcapSink sink = new PcapSink("sink", PortConfig.of(3).withQueues(1, 2), tmp.resolve("out.pcap"));
        Datapath dp = Datapath.builder().port(gen).port(sink).workers(2).processor(Processors.forwardTo(sink)).build();
        dp.start();
        Thread.sleep(200); // mid-stream: an endless generator
        dp.close();
        assertEquals(PortState.CLOSED, gen.state());
        assertEquals(0, gen.pool().inUse());
        assertEquals(0, sink.pool().inUse());
        assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().startsWith("jxdp-") && t.isAlive()),
                "no jxdp thread left");
        long received = gen.rxQueue(0).packets.get() + gen.rxQueue(1).packets.get();
        long written = sink.txQueue(0).packets.get() + sink.txQueue(1).packets.get();
        long dropped = sink.txQueue(0).dropped.get() + sink.txQueue(1).dropped.get();
        assertEquals(received, written + dropped, "every frame a worker took was written or counted");
    }

    @Test
    void workersCanBePinnedToACpu() throws Exception {
        GeneratorPort gen = new GeneratorPort("gen", PortConfig.of(2), GeneratorPort.Options.defaults().withCount(10).withLossless(true));
        try (Datapath dp = Datapath.builder().port(gen).pinWorkers(0).processor(Processors.drop()).build()) {
            dp.start();
            assertTrue(gen.awaitFinished(60, TimeUnit.SECONDS));
            awaitQuiet(dp);
            assertEquals("pinned to CPU 0", dp.worker(0).pinning());
        }
        Thread t = Thread.ofPlatform().start(() -> {
            assertTrue(Affinity.pin(0));
            assertEquals(java.util.List.of(0), Affinity.current());
        });
        t.join();
    }

    /** Waits until the workers have emptied every queue and the counters settled. */
    static void awaitQuiet(Datapath dp) throws InterruptedException {
        for (int i = 0; i < 2000 && !dp.quiet(); i++) {
            Thread.sleep(5);
        }
        Thread.sleep(50);
    }
}
