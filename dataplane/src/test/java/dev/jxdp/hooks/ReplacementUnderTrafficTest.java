package dev.jxdp.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jxdp.maps.EbpfMap;
import dev.jxdp.obj.MapType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * Replacing a port's XDP program while three workers send frames through it: program A tags each
 * frame 0x0a and counts it in slot 0 of a map, program B tags 0x0b and counts in slot 1; the test
 * swaps them hundreds of times while the frames flow. Every frame must come out tagged by exactly one
 * of them (none saw neither, none saw a mix), nothing may be lost, and the counts must add up to what
 * was sent, on every kind of evidence: the outcomes, the frames the port transmitted, the map.
 */
class ReplacementUnderTrafficTest {
    private static final int WORKERS = 3;
    private static final int FRAMES = 30_000;

    private static String tagAndCount(int tag, int slot) {
        return """
                r6 = r1
                r2 = *(u32 *)(r6 + 0x0)
                r3 = *(u32 *)(r6 + 0x4)
                r4 = r2
                r4 += 0xe
                if r4 > r3 goto count
                r5 = 0x%x
                *(u8 *)(r2 + 0x0) = r5
                count:
                r1 = 0x%x
                *(u32 *)(r10 - 0x4) = r1
                r2 = r10
                r2 += -0x4
                ld_pseudo r1, 0x1, 0x0
                call 0x1
                if r0 == 0x0 goto done
                r1 = 0x1
                lock *(u64 *)(r0 + 0x0) += r1
                done:
                r0 = 0x3
                exit""".formatted(tag, slot);
    }

    @Test
    void everyFrameSeesTheOldProgramOrTheNewAndNoneIsLost() throws Exception {
        LongAdder taggedA = new LongAdder();
        LongAdder taggedB = new LongAdder();
        LongAdder untagged = new LongAdder();
        Pipeline pipeline = Pipeline.builder().workers(WORKERS).build();
        Port eth0 = pipeline.addPort(PipelineFixture.device(2, "eth0", 0), (port, frame, tunnel) -> {
            switch (frame.get(ValueLayout.JAVA_BYTE, 0)) {
                case 0x0a -> taggedA.increment();
                case 0x0b -> taggedB.increment();
                default -> untagged.increment();
            }
        });
        byte[] udp = TestFrames.v4(TestFrames.UDP, 22);
        try (AsmObject o = AsmObject.load(pipeline.objectOptions(), List.of(AsmObject.map("counts", MapType.ARRAY, 4, 8, 2)),
                AsmObject.Prog.xdp("a", tagAndCount(0x0a, 0)), AsmObject.Prog.xdp("b", tagAndCount(0x0b, 1)))) {
            pipeline.attachXdp(eth0, o.program("a"));
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicLong notTransmitted = new AtomicLong();
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < WORKERS; w++) {
                Worker worker = pipeline.worker(w);
                threads.add(Thread.ofPlatform().start(() -> {
                    try (Arena arena = Arena.ofConfined()) {
                        MemorySegment buffer = arena.allocate(4096, 64);
                        start.await();
                        for (int i = 0; i < FRAMES; i++) {
                            MemorySegment.copy(MemorySegment.ofArray(udp), 0, buffer, 256, udp.length);
                            if (worker.receive(eth0, 0, buffer, 256, udp.length).fate() != Outcome.Fate.TRANSMITTED) {
                                notTransmitted.incrementAndGet();
                            }
                        }
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    }
                }));
            }
            start.countDown();
            int swaps = 0;
            while (threads.stream().anyMatch(Thread::isAlive)) {
                pipeline.attachXdp(eth0, o.program(swaps % 2 == 0 ? "b" : "a"));
                swaps++;
                Thread.sleep(0, 200_000);
            }
            for (Thread t : threads) {
                t.join();
            }
            assertNull(failure.get());
            long total = (long) WORKERS * FRAMES;
            assertEquals(0, notTransmitted.get(), "every frame left through the port");
            assertEquals(0, untagged.sum(), "no frame went through neither program");
            assertEquals(total, taggedA.sum() + taggedB.sum());
            EbpfMap counts = o.object.map("counts");
            long countedA = value(counts, 0);
            long countedB = value(counts, 1);
            assertEquals(total, countedA + countedB, "each frame ran exactly one program");
            assertEquals(taggedA.sum(), countedA);
            assertEquals(taggedB.sum(), countedB);
            assertTrue(swaps > 10 && countedA > 0 && countedB > 0, "both programs saw traffic across " + swaps + " swaps");
            assertEquals(total, pipeline.stats(eth0, Hook.XDP).count("XDP_TX"));
        }
    }

    /** The same at tc ingress: A and B set the mark to 0x0a or 0x0b and count; the host sees every frame marked once. */
    @Test
    void tcProgramsReplacedInPlaceUnderTraffic() throws Exception {
        LongAdder markedA = new LongAdder();
        LongAdder markedB = new LongAdder();
        LongAdder unmarked = new LongAdder();
        Pipeline pipeline = Pipeline.builder().workers(WORKERS).host((port, skb) -> {
            switch (skb.mark()) {
                case 0x0a -> markedA.increment();
                case 0x0b -> markedB.increment();
                default -> unmarked.increment();
            }
        }).build();
        Port eth0 = pipeline.addPort(PipelineFixture.device(2, "eth0", 0), PortSink.DISCARD);
        String markAndCount = """
                r2 = 0x%x
                *(u32 *)(r1 + 0x8) = r2
                r1 = 0x%x
                *(u32 *)(r10 - 0x4) = r1
                r2 = r10
                r2 += -0x4
                ld_pseudo r1, 0x1, 0x0
                call 0x1
                if r0 == 0x0 goto done
                r1 = 0x1
                lock *(u64 *)(r0 + 0x0) += r1
                done:
                r0 = 0x0
                exit""";
        byte[] udp = TestFrames.v4(TestFrames.UDP, 22);
        try (AsmObject o = AsmObject.load(pipeline.objectOptions(), List.of(AsmObject.map("counts", MapType.ARRAY, 4, 8, 2)),
                AsmObject.Prog.tc("a", markAndCount.formatted(0x0a, 0)), AsmObject.Prog.tc("b", markAndCount.formatted(0x0b, 1)))) {
            pipeline.attachTc(eth0, Hook.TC_INGRESS, o.program("a"));
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < WORKERS; w++) {
                Worker worker = pipeline.worker(w);
                threads.add(Thread.ofPlatform().start(() -> {
                    try (Arena arena = Arena.ofConfined()) {
                        MemorySegment buffer = arena.allocate(4096, 64);
                        MemorySegment.copy(MemorySegment.ofArray(udp), 0, buffer, 256, udp.length);
                        for (int i = 0; i < FRAMES; i++) {
                            worker.receive(eth0, 0, buffer, 256, udp.length);
                        }
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    }
                }));
            }
            int swaps = 0;
            while (threads.stream().anyMatch(Thread::isAlive)) {
                boolean toB = swaps % 2 == 0;
                pipeline.replaceTc(eth0, Hook.TC_INGRESS, o.program(toB ? "a" : "b"), o.program(toB ? "b" : "a"));
                swaps++;
                Thread.sleep(0, 200_000);
            }
            for (Thread t : threads) {
                t.join();
            }
            assertNull(failure.get());
            long total = (long) WORKERS * FRAMES;
            assertEquals(0, unmarked.sum());
            assertEquals(total, markedA.sum() + markedB.sum());
            EbpfMap counts = o.object.map("counts");
            assertEquals(markedA.sum(), value(counts, 0));
            assertEquals(markedB.sum(), value(counts, 1));
            assertEquals(Map.of(Outcome.Fate.TO_HOST, total), pipeline.fates(eth0));
        }
    }

    private static long value(EbpfMap m, int key) {
        byte[] k = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(key).array();
        return ByteBuffer.wrap(m.lookup(k).orElseThrow()).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }
}
