package dev.jxdp.load;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jxdp.exec.ExecutionException;
import dev.jxdp.exec.Interpreter;
import dev.jxdp.exec.Invocation;
import dev.jxdp.isa.LoadImm64;
import dev.jxdp.jit.Jit;
import dev.jxdp.maps.EbpfMap;
import dev.jxdp.maps.MapException;
import dev.jxdp.maps.MapHandle;
import dev.jxdp.maps.PerfBuffer;
import dev.jxdp.maps.PerfEventArray;
import dev.jxdp.maps.RingBuf;
import dev.jxdp.obj.LoadOptions;
import dev.jxdp.obj.ObjectLoader;
import dev.jxdp.obj.ObjectSpec;
import dev.jxdp.obj.ProgramType;
import dev.jxdp.testing.Clang;
import dev.jxdp.testing.Repo;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What a loaded object does besides the kernel's semantics (those are CorpusKernelTest's and HelperKernelTest's). */
class LoadedObjectTest {
    private static Path tmp;

    @BeforeAll
    static void dir() throws Exception {
        tmp = Files.createTempDirectory("jxdp-loaded");
    }

    @AfterAll
    static void clean() throws Exception {
        try (var s = Files.walk(tmp)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static ObjectSpec corpus(String name) throws Exception {
        return ObjectLoader.load(Repo.root().resolve("programs/bin/" + name + ".o"), LoadOptions.defaults());
    }

    private static ObjectSpec compile(String name, String source) throws Exception {
        Assumptions.assumeTrue(Clang.clang().isPresent(), Clang.missingReason());
        return ObjectLoader.load(Clang.compile(tmp, name, source), LoadOptions.defaults());
    }

    private static long runXdp(LoadedObject o, String program, int worker, byte[] frame) {
        try (Arena arena = Arena.ofConfined()) {
            Contexts.Frame f = Contexts.xdp(arena, o, frame);
            return o.program(program).run(worker, f.memory(), f.ctx(), f.packet());
        }
    }

    @Test
    void helpersJxdpLacksAreRefusedAtLoadByName() throws Exception {
        UnsupportedHelperException e = assertThrows(UnsupportedHelperException.class,
                () -> LoadedObject.load(corpus("xdp_l2_switch")));
        assertEquals("program 'xdp_l2_switch' (xdp) calls bpf_redirect_map#51, which jxdp does not implement for xdp programs",
                e.getMessage());
        assertEquals(List.of(51), e.helperIds());
    }

    @Test
    void providersAddHelpersThatSeeTheHooksState() throws Exception {
        AtomicReference<Object> seen = new AtomicReference<>();
        HelperProvider redirect = (type, object) -> type == ProgramType.XDP ? Map.of(51, (ctx, map, key, flags, a4, a5) -> {
            seen.set(ProgramRun.of(ctx).hook());
            return 4; // XDP_REDIRECT, as bpf_redirect_map returns on success
        }) : Map.of();
        try (LoadedObject o = LoadedObject.load(corpus("xdp_l2_switch"), LoadedObject.Options.defaults().withProvider(redirect));
                Arena arena = Arena.ofConfined()) {
            Contexts.Frame f = Contexts.xdp(arena, o, Frames.all().get("udp64"));
            Object hookState = new Object();
            long r0 = o.program("xdp_l2_switch").run(dev.jxdp.exec.Invocation.of(f.memory(), f.ctx()).withAttachment(hookState));
            assertEquals(4, r0);
            assertEquals(hookState, seen.get());
        }
    }

    @Test
    void mapReferencesBecomeHandlesAndGlobalDataAddresses() throws Exception {
        try (LoadedObject o = LoadedObject.load(corpus("xdp_dns_amp_guard"))) {
            List<Long> constants = new ArrayList<>();
            o.program("xdp_dns_amp_guard").code().forEach((insn, pc) -> {
                if (insn instanceof LoadImm64 l) {
                    constants.add(l.value());
                }
            });
            assertTrue(constants.stream().noneMatch(c -> MapHandle.idOf(c) >= 0), "global data is reached by address");
            MemorySegment rodata = ((dev.jxdp.maps.ArrayMap) o.map("xdp_dns_.rodata")).value(0, 0);
            assertTrue(constants.stream().anyMatch(c -> c >= rodata.address() && c < rodata.address() + rodata.byteSize()));
        }
        try (LoadedObject o = LoadedObject.load(corpus("xdp_flow_counter"))) {
            long handle = o.map("flows").handle();
            assertEquals(0, MapHandle.idOf(handle));
            List<Long> constants = new ArrayList<>();
            o.program("xdp_flow_counter").code().forEach((insn, pc) -> {
                if (insn instanceof LoadImm64 l) {
                    constants.add(l.value());
                }
            });
            assertTrue(constants.contains(handle));
        }
    }

    @Test
    void rodataIsFrozenAndReadOnlyForPrograms() throws Exception {
        try (LoadedObject o = LoadedObject.load(corpus("xdp_dns_amp_guard"))) {
            EbpfMap rodata = o.map("xdp_dns_.rodata");
            assertTrue(rodata.frozen());
            MapException e = assertThrows(MapException.class, () -> rodata.update(new byte[4], new byte[rodata.valueSize()]));
            assertEquals("EPERM", e.errno().name());
            assertTrue(o.memory().regions().stream().anyMatch(r -> r.name().equals("map_value xdp_dns_.rodata")
                    && !r.permission().writable()));
            assertTrue(o.memory().regions().stream().anyMatch(r -> r.name().equals("map_value xdp_dns_.bss") && r.permission().writable()));
        }
    }

    @Test
    void twoWorkersCountEveryPacketWhileTheControlPlaneReads() throws Exception {
        byte[] frame = Frames.all().get("udp64");
        int packets = 20_000;
        try (LoadedObject o = LoadedObject.load(corpus("xdp_flow_counter"), LoadedObject.Options.defaults().withWorkers(2))) {
            EbpfMap flows = o.map("flows");
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> workers = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                int worker = w;
                workers.add(Thread.ofPlatform().start(() -> {
                    try (Arena arena = Arena.ofConfined()) {
                        Contexts.Frame f = Contexts.xdp(arena, o, frame);
                        for (int i = 0; i < packets; i++) {
                            o.program("xdp_flow_counter").run(worker, f.memory(), f.ctx(), f.packet());
                        }
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    }
                }));
            }
            long dumps = 0;
            while (workers.stream().anyMatch(Thread::isAlive)) {
                for (byte[] k : flows.keys()) {
                    flows.lookup(k);
                }
                dumps++;
            }
            for (Thread t : workers) {
                t.join();
            }
            assertNull(failure.get());
            List<byte[]> keys = flows.keys();
            assertEquals(1, keys.size());
            MemorySegment v = MemorySegment.ofArray(flows.lookup(keys.getFirst()).orElseThrow());
            // The first packet inserts with BPF_NOEXIST; if both workers miss at once, one insert fails
            // (EEXIST) and that packet is not counted, exactly as in the kernel. So 2N or 2N - 1.
            long counted = v.get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
            assertTrue(counted == 2L * packets || counted == 2L * packets - 1, "packets counted: " + counted);
            assertEquals(counted * frame.length, v.get(ValueLayout.JAVA_LONG_UNALIGNED, 8));
            assertTrue(dumps > 0);
        }
    }

    /**
     * A runner is its maker's thread's run state (frames, tail-call count, epoch reader): used on other
     * threads at the same time it must not lend them that state, or their stacks would mix and the
     * flow key each packet builds on its stack would come out wrong.
     */
    @Test
    void aRunnerUsedOnOtherThreadsRunsThereOnTheirOwnState() throws Exception {
        byte[] frame = Frames.all().get("udp64");
        int packets = 20_000;
        try (LoadedObject o = LoadedObject.load(corpus("xdp_flow_counter"), LoadedObject.Options.defaults().withWorkers(3))) {
            LoadedProgram.Runner runner = o.program("xdp_flow_counter").runner();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> threads = new ArrayList<>();
            for (int w = 1; w <= 2; w++) {
                int worker = w;
                threads.add(Thread.ofPlatform().start(() -> {
                    try (Arena arena = Arena.ofConfined()) {
                        Contexts.Frame f = Contexts.xdp(arena, o, frame);
                        for (int i = 0; i < packets; i++) {
                            assertEquals(2L, runner.run(Invocation.of(f.memory(), f.ctx()).withPacket(f.packet()).withWorker(worker)));
                        }
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    }
                }));
            }
            try (Arena arena = Arena.ofConfined()) {
                Contexts.Frame f = Contexts.xdp(arena, o, frame);
                for (int i = 0; i < packets; i++) {
                    assertEquals(2L, runner.run(Invocation.of(f.memory(), f.ctx()).withPacket(f.packet()).withWorker(0)));
                }
            }
            for (Thread t : threads) {
                t.join();
            }
            assertNull(failure.get());
            EbpfMap flows = o.map("flows");
            assertEquals(1, flows.keys().size(), "one flow, its key built right by every run");
            MemorySegment v = MemorySegment.ofArray(flows.lookup(flows.keys().getFirst()).orElseThrow());
            // as above: a first insert lost to a race (EEXIST) leaves its packet uncounted, as in the kernel
            long counted = v.get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
            assertTrue(counted >= 3L * packets - 2 && counted <= 3L * packets, "packets counted: " + counted);
        }
    }

    @Test
    void clockRandomAndWorkerArePinnable() throws Exception {
        ObjectSpec spec = compile("pinned", """
                #include <linux/bpf.h>
                #include <bpf/bpf_helpers.h>
                __u64 r[8];
                SEC("xdp") int pinned(struct xdp_md *ctx) {
                    r[0] = bpf_ktime_get_ns();
                    r[1] = bpf_ktime_get_boot_ns();
                    r[2] = bpf_ktime_get_coarse_ns();
                    r[3] = bpf_jiffies64();
                    r[4] = bpf_get_prandom_u32();
                    r[5] = bpf_get_prandom_u32();
                    r[6] = bpf_get_smp_processor_id();
                    return XDP_PASS;
                }
                char _license[] SEC("license") = "GPL";
                """);
        long[] first = null;
        for (int run = 0; run < 2; run++) {
            LoadedObject.Options opts = LoadedObject.Options.defaults().withWorkers(4).withClock(Clock.fixed(5_000_000_000L))
                    .withRandom(RandomSource.seeded(42)).withEngine(run == 0 ? new Interpreter() : new Jit());
            try (LoadedObject o = LoadedObject.load(spec, opts)) {
                runXdp(o, "pinned", 3, Frames.all().get("udp64"));
                MemorySegment bss = MemorySegment.ofArray(o.map("pinned.bss").lookup(new byte[4]).orElseThrow());
                long[] r = bss.toArray(ValueLayout.JAVA_LONG_UNALIGNED);
                assertEquals(5_000_000_000L, r[0]);
                assertEquals(5_000_000_000L, r[1]);
                assertEquals(5_000_000_000L, r[2]);
                // INITIAL_JIFFIES (2^32 - 300 * 250) plus 5 s of 250 Hz ticks.
                assertEquals(4_294_892_296L + 1250, r[3]);
                assertEquals(3, r[6]);
                if (first != null) {
                    assertArrayEquals(first, r, "the same seed gives the same numbers on either engine");
                }
                first = r;
            }
        }
        assertTrue(first[4] != first[5]);
    }

    @Test
    void aMapValueHandedOnToAnotherHelperIsReadableOnEveryEngine() throws Exception {
        // A verified program on the JIT gets a lookup's value without a region until a helper needs one:
        // bpf_ringbuf_output reads the value through the run's memory. Worked example: the value is
        // 0x1122334455667788 (set below), the record is its 8 bytes, little-endian, and output returns 0.
        ObjectSpec spec = compile("handon", """
                #include <linux/bpf.h>
                #include <bpf/bpf_helpers.h>
                struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1); __type(key, __u32); __type(value, __u64); } a SEC(".maps");
                struct { __uint(type, BPF_MAP_TYPE_RINGBUF); __uint(max_entries, 4096); } rb SEC(".maps");
                SEC("xdp") int handon(struct xdp_md *ctx) {
                    __u32 k = 0;
                    __u64 *v = bpf_map_lookup_elem(&a, &k);
                    if (!v)
                        return XDP_ABORTED;
                    return bpf_ringbuf_output(&rb, v, sizeof(*v), 0) == 0 ? XDP_PASS : XDP_DROP;
                }
                char _license[] SEC("license") = "GPL";
                """);
        for (dev.jxdp.exec.Engine engine : List.of(new Interpreter(), new Jit())) {
            try (LoadedObject o = LoadedObject.load(spec, LoadedObject.Options.defaults().withEngine(engine))) {
                byte[] value = new byte[8];
                MemorySegment.ofArray(value).set(ValueLayout.JAVA_LONG_UNALIGNED, 0, 0x1122334455667788L);
                o.map("a").update(new byte[4], value);
                assertEquals(2L, runXdp(o, "handon", 0, Frames.all().get("udp64")), engine.toString());
                List<Long> records = new ArrayList<>();
                ((RingBuf) o.map("rb")).consume(sample -> records.add(sample.get(ValueLayout.JAVA_LONG_UNALIGNED, 0)));
                assertEquals(List.of(0x1122334455667788L), records, engine.toString());
            }
        }
    }

    @Test
    void ringBufferSamplesReachTheJavaConsumerAndDropsAreCounted() throws Exception {
        ObjectSpec spec = compile("rbsamples", """
                #include <linux/bpf.h>
                #include <bpf/bpf_helpers.h>
                struct { __uint(type, BPF_MAP_TYPE_RINGBUF); __uint(max_entries, 4096); } rb SEC(".maps");
                __u32 seq;
                SEC("xdp") int rbsamples(struct xdp_md *ctx) {
                    __u32 *s = bpf_ringbuf_reserve(&rb, 1000, 0);
                    if (!s)
                        return XDP_DROP;
                    s[0] = ++seq;
                    s[249] = 0xfeedface;
                    if (seq == 2)
                        bpf_ringbuf_discard(s, 0);
                    else
                        bpf_ringbuf_submit(s, 0);
                    return XDP_PASS;
                }
                char _license[] SEC("license") = "GPL";
                """);
        try (LoadedObject o = LoadedObject.load(spec)) {
            RingBuf rb = (RingBuf) o.map("rb");
            List<Long> verdicts = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                verdicts.add(runXdp(o, "rbsamples", 0, Frames.all().get("udp64")));
            }
            // Records of 1008 bytes: four fit in 4096 bytes, the fifth is dropped.
            assertEquals(List.of(2L, 2L, 2L, 2L, 1L), verdicts);
            assertEquals(1, rb.drops());
            List<Integer> seen = new ArrayList<>();
            int n = rb.consume(sample -> {
                assertEquals(1000, sample.byteSize());
                assertEquals(0xfeedface, sample.get(ValueLayout.JAVA_INT, 996));
                seen.add(sample.get(ValueLayout.JAVA_INT, 0));
            });
            assertEquals(3, n);
            assertEquals(List.of(1, 3, 4), seen, "the discarded record is skipped");
            assertEquals(2L, runXdp(o, "rbsamples", 0, Frames.all().get("udp64")), "room again after consuming");
        }
    }

    @Test
    void perfEventSamplesArePaddedAsTheKernelDeliversThem() throws Exception {
        ObjectSpec spec = compile("perfout", """
                #include <linux/bpf.h>
                #include <bpf/bpf_helpers.h>
                struct { __uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY); __uint(max_entries, 2);
                         __uint(key_size, 4); __uint(value_size, 4); } ev SEC(".maps");
                __s64 ret;
                SEC("xdp") int perfout(struct xdp_md *ctx) {
                    char msg[6] = {'j', 'x', 'd', 'p', '!', 0};
                    ret = bpf_perf_event_output(ctx, &ev, BPF_F_CURRENT_CPU, msg, sizeof(msg));
                    return XDP_PASS;
                }
                char _license[] SEC("license") = "GPL";
                """);
        try (LoadedObject o = LoadedObject.load(spec, LoadedObject.Options.defaults().withWorkers(2))) {
            PerfEventArray ev = (PerfEventArray) o.map("ev");
            PerfBuffer cpu1 = ev.open(1, 1, 4096);
            runXdp(o, "perfout", 1, Frames.all().get("udp64"));
            List<byte[]> got = new ArrayList<>();
            cpu1.consume(got::add);
            assertEquals(1, got.size());
            // 6 bytes of data + a u32 size rounded up to 8: the callback sees 12 bytes.
            assertArrayEquals(new byte[] {'j', 'x', 'd', 'p', '!', 0, 0, 0, 0, 0, 0, 0}, got.getFirst());
            runXdp(o, "perfout", 0, Frames.all().get("udp64"));
            long ret = MemorySegment.ofArray(o.map("perfout.bss").lookup(new byte[4]).orElseThrow()).get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
            assertEquals(-2, ret, "worker 0 has no buffer: ENOENT");
        }
    }

    @Test
    void tracePrintkWritesTheTraceLog() throws Exception {
        ObjectSpec spec = compile("traced", """
                #include <linux/bpf.h>
                #include <bpf/bpf_helpers.h>
                SEC("xdp") int traced(struct xdp_md *ctx) {
                    bpf_printk("len %d proto 0x%x", (int)(ctx->data_end - ctx->data), 0x800);
                    return XDP_PASS;
                }
                char _license[] SEC("license") = "GPL";
                """);
        TraceLog log = new TraceLog();
        try (LoadedObject o = LoadedObject.load(spec, LoadedObject.Options.defaults().withTrace(log).withWorkers(2)
                .withClock(Clock.fixed(1_500_000_000L)))) {
            runXdp(o, "traced", 1, Frames.all().get("udp64"));
            List<TraceLog.Entry> entries = log.take();
            assertEquals(1, entries.size());
            assertEquals("len 64 proto 0x800", entries.getFirst().message());
            assertEquals("          traced-0       [001] .....     1.500000: bpf_trace_printk: len 64 proto 0x800",
                    TraceLog.line(entries.getFirst()));
        }
    }

    @Test
    void aWrongMapArgumentIsRefusedAtLoadOrAnErrorAtTheCallUnverified() throws Exception {
        ObjectSpec spec = compile("wrongmap", """
                #include <linux/bpf.h>
                #include <bpf/bpf_helpers.h>
                struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1); __type(key, __u32); __type(value, __u64); } a SEC(".maps");
                SEC("xdp") int wrongmap(struct xdp_md *ctx) {
                    __u64 v = 1;
                    /* The kernel's verifier refuses this: an array is no ring buffer. */
                    return bpf_ringbuf_output(&a, &v, sizeof(v), 0);
                }
                char _license[] SEC("license") = "GPL";
                """);
        for (dev.jxdp.exec.Engine engine : List.of(new Interpreter(), new Jit())) {
            // check_map_func_compatibility's words, as the kernel refuses this object (bpftool prog load says the same).
            ProgramRefusedException refused = assertThrows(ProgramRefusedException.class,
                    () -> LoadedObject.load(spec, LoadedObject.Options.defaults().withEngine(engine)));
            assertEquals("wrongmap", refused.program());
            assertTrue(refused.getMessage().contains("program wrongmap: insn "), refused.getMessage());
            assertTrue(refused.getMessage().contains(": cannot pass map_type 2 into func bpf_ringbuf_output#130"), refused.getMessage());
            try (LoadedObject o = LoadedObject.load(spec, LoadedObject.Options.defaults().withEngine(engine).unverified())) {
                ExecutionException e = assertThrows(ExecutionException.class, () -> runXdp(o, "wrongmap", 0, Frames.all().get("udp64")));
                assertTrue(e.getMessage().endsWith("helper bpf_ringbuf_output (id 130): bpf_ringbuf_output on array map 'a',"
                        + " which is not a ring buffer"), e.getMessage());
            }
        }
    }
}
