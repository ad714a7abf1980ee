package dev.jxdp.nic.port.gen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jxdp.nic.Datapath;
import dev.jxdp.nic.Destination;
import dev.jxdp.nic.FrameProcessor;
import dev.jxdp.nic.PortConfig;
import dev.jxdp.nic.WorkerContext;
import dev.jxdp.nic.frame.Frame;
import dev.jxdp.nic.port.discard.DiscardPort;
import dev.jxdp.nic.port.pcap.PcapSink;
import dev.jxdp.nic.testing.Cmd;
import dev.jxdp.nic.testing.Processors;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inline generator (frames made by the polling workers, no generator thread): the same frames as
 * the thread makes, exact counts over several queues and workers, flows on the queue RSS gives them,
 * and every buffer back in its pool at the end (the worker recycles dropped and sent frames).
 */
class InlineGeneratorTest {
    @TempDir
    Path tmp;

    private Path generate(String name, GeneratorPort.Options options) throws Exception {
        Path out = tmp.resolve(name);
        GeneratorPort gen = new GeneratorPort("gen", PortConfig.of(2), options);
        PcapSink sink = new PcapSink("out", PortConfig.of(3), out);
        try (Datapath dp = Datapath.builder().port(gen).port(sink).processor(Processors.forwardTo(sink)).build()) {
            dp.start();
            assertTrue(gen.awaitFinished(60, TimeUnit.SECONDS));
        }
        return out;
    }

    @Test
    void oneQueueInlineGivesTheFramesTheThreadGives() throws Exception {
        GeneratorPort.Options o = GeneratorPort.Options.defaults().withMix(new SizeMix.Imix()).withFlows(100).withCount(300).withSeed(42);
        // tcpdump -t: every byte, no timestamps (the inline generator stamps once per batch)
        String thread = Cmd.run("tcpdump", "-r", generate("thread.pcap", o.withLossless(true)).toString(), "-t", "-xx", "-n").orFail().out();
        String inline = Cmd.run("tcpdump", "-r", generate("inline.pcap", o.withInline(true)).toString(), "-t", "-xx", "-n").orFail().out();
        assertEquals(300, thread.lines().filter(l -> l.startsWith("IP ")).count());
        assertEquals(thread, inline);
    }

    @Test
    void aCountIsExactOverTwoQueuesAndWorkersAndFlowsKeepTheirQueue() throws Exception {
        long count = 100_003; // not a multiple of a batch
        GeneratorPort gen = new GeneratorPort("gen", PortConfig.of(2).withQueues(2, 1),
                GeneratorPort.Options.defaults().withFlows(256).withCount(count).withInline(true));
        AtomicLong seen = new AtomicLong();
        AtomicLong misplaced = new AtomicLong();
        AtomicReference<String> wrongWorker = new AtomicReference<>();
        FrameProcessor check = new FrameProcessor() {
            @Override
            public Destination receive(Frame f, WorkerContext w) {
                seen.incrementAndGet();
                // the queue is the one RSS gives the frame's own bytes, and the worker is the queue's
                if (gen.rss().queue(gen.rss().hash(f.buffer(), f.offset(), f.length())) != f.rxQueue()) {
                    misplaced.incrementAndGet();
                }
                if (f.rxQueue() != w.index()) {
                    wrongWorker.set("queue " + f.rxQueue() + " on worker " + w.index());
                }
                return Destination.Verdict.DROP;
            }
        };
        try (Datapath dp = Datapath.builder().workers(2).port(gen).processor(check).build()) {
            dp.start();
            assertTrue(gen.awaitFinished(60, TimeUnit.SECONDS));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (seen.get() < count && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            Thread.sleep(50); // nothing more may come
            assertEquals(count, seen.get());
            assertEquals(count, gen.generated());
            assertEquals(0, misplaced.get());
            assertEquals(null, wrongWorker.get());
            long packets = 0;
            long missed = 0;
            long drops = 0;
            for (int q = 0; q < 2; q++) {
                packets += gen.rxQueue(q).packets.get();
                missed += gen.rxQueue(q).missed.get();
                drops += gen.rxQueue(q).drops.get();
            }
            // (how the count splits between the queues is each worker's pace: inline, a queue gets what its worker takes)
            assertEquals(count, packets);
            assertEquals(count, drops);
            assertEquals(0, missed);
        }
        assertEquals(0, gen.pool().inUse(), "recycled frames went back to the pool when the port closed");
    }

    @Test
    void inlineTransmitCountsExactlyWhenWorkersShareATransmitQueue() throws Exception {
        long count = 50_000;
        GeneratorPort gen = new GeneratorPort("gen", PortConfig.of(2).withQueues(2, 1),
                GeneratorPort.Options.defaults().withFlows(256).withCount(count).withInline(true));
        DiscardPort sink = new DiscardPort("sink", PortConfig.of(3)); // one transmit queue, two workers
        try (Datapath dp = Datapath.builder().workers(2).port(gen).port(sink).processor(Processors.forwardTo(sink)).build()) {
            dp.start();
            assertTrue(gen.awaitFinished(60, TimeUnit.SECONDS));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (sink.txQueue(0).packets.get() < count && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            Thread.sleep(50);
            assertEquals(count, sink.txQueue(0).packets.get());
            assertEquals(count * 60, sink.txQueue(0).bytes.get());
            assertEquals(0, sink.txQueue(0).dropped.get());
            assertEquals(0, sink.txQueue(0).size(), "an inline port's ring stays empty");
        }
        assertEquals(0, gen.pool().inUse());
    }

    @Test
    void inlineFramesForAPortThatIsNotUpAreCountedAsTransmitDrops() throws Exception {
        GeneratorPort gen = new GeneratorPort("gen", PortConfig.of(2), GeneratorPort.Options.defaults().withCount(1000).withInline(true));
        DiscardPort sink = new DiscardPort("sink", PortConfig.of(3)); // never started: not up
        try (Datapath dp = Datapath.builder().port(gen).processor(Processors.forwardTo(sink)).build()) {
            dp.start();
            assertTrue(gen.awaitFinished(60, TimeUnit.SECONDS));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (sink.txQueue(0).dropped.get() < 1000 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(1000, sink.txQueue(0).dropped.get());
            assertEquals(0, sink.txQueue(0).packets.get());
            assertEquals(1000, dp.worker(0).counters.undeliverable.get());
        } finally {
            sink.close();
        }
    }

    @Test
    void anInlineGeneratorHasNoRateOfItsOwn() {
        assertThrows(IllegalArgumentException.class, () -> GeneratorPort.Options.defaults().withInline(true).withPps(1000));
        assertThrows(IllegalArgumentException.class, () -> GeneratorPort.Options.defaults().withPps(1000).withInline(true));
    }
}
