package dev.jxdp.bench;

import dev.jxdp.kernel.Bpf;
import dev.jxdp.kernel.BpfMap;
import dev.jxdp.kernel.BpfProgram;
import dev.jxdp.kernel.MapSpec;
import dev.jxdp.kernel.MapType;
import dev.jxdp.kernel.ProgType;
import dev.jxdp.kernel.TestRun;
import dev.jxdp.kernel.TestRunResult;
import dev.jxdp.nic.Affinity;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The kernel's side of a load test: an XDP program in BPF_PROG_TEST_RUN's live-frames mode
 * (BPF_F_TEST_XDP_LIVE_FRAMES), where the kernel acts on each verdict as a driver would, on a veth.
 *
 * <p>Set-up, all in a namespace of its own that {@link #close()} removes: two veth pairs, {@code in0}
 * (the port frames arrive on) with peer {@code in1}, and {@code out0} (the redirect target) with peer
 * {@code out1}; both far ends run xdp_drop.o, since a veth accepts XDP frames only when its peer runs
 * an XDP program. {@code in0} and {@code out0} have the ifindexes of jxdp bench's {@code eth0} and
 * {@code eth1} (2 and 3), so that a program naming a port by its ifindex (bpf_redirect) means the same
 * port on both sides. The object is loaded by libbpf ({@code bpftool prog loadall}, pinned in a
 * private bpffs directory, removed on close) as users load it. A tc ingress program, if given, is
 * attached to {@code in0} with clsact, so XDP_PASS goes through it into the namespace's stack; a tc
 * egress program to the egress of {@code in0} and {@code out0}, as jxdp bench attaches it to both its
 * ports (XDP_TX and XDP redirects pass by it, as in jxdp; a tc redirect to {@code out0} goes through
 * it); a devmap, if named, gets slot 0 = {@code out0}. Each worker is a thread in the namespace,
 * pinned to CPU w where it can be, running test runs of {@code batch} frames whose ctx_in names
 * {@code in0}, queue 0.
 */
public final class KernelLiveRun implements AutoCloseable {
    /** XDP_PACKET_HEADROOM-free xdp_md: data, data_end, data_meta, ingress_ifindex, rx_queue_index, egress_ifindex. */
    private static final int XDP_MD_SIZE = 24;
    /** How many frames one test run sends at most: bounded so that a run returns well within a second. */
    private static final int FRAMES_PER_CALL = 1 << 20;

    /**
     * What to load.
     *
     * @param xdpObject the ELF object
     * @param xdpProgram the XDP program's name in it
     * @param tcIngress the program at tc ingress of the receiving veth, or null
     * @param tcEgress the program at tc egress of both veths, or null
     * @param devmap a devmap of the XDP object whose slot 0 is set to the redirect veth, or null
     * @param mtu the veths' MTU (a veth whose peer runs XDP takes at most a page's worth: about 3,500)
     * @param dropObject xdp_drop.o, for the veths' far ends
     */
    public record Setup(Path xdpObject, String xdpProgram, TcProgram tcIngress, TcProgram tcEgress, String devmap, int mtu, Path dropObject) {}

    /** A tc program as tc loads it: an object and the section of its program. */
    public record TcProgram(Path object, String section) {}

    /**
     * One worker's share of a run.
     *
     * @param frames frames the kernel ran
     * @param nsPerFrame the kernel's mean per frame (test-run duration)
     */
    public record WorkerResult(long frames, double nsPerFrame) {
        public double mpps() {
            return 1e3 / nsPerFrame;
        }
    }

    /** A whole run: each worker's figures, and the wall-clock time of all of them together. */
    public record Result(List<WorkerResult> workers, long wallNanos) {
        public long frames() {
            return workers.stream().mapToLong(WorkerResult::frames).sum();
        }

        /** All workers' frames over the wall-clock time. */
        public double mpps() {
            return frames() * 1e3 / wallNanos;
        }

        /**
         * All workers' rates by the test runs' own times, which leave out each call's set-up and
         * teardown (tens of milliseconds here, its page pool waiting out an RCU grace period): the fair
         * figure when a run is many calls of a few frames each (mixed traffic, one frame after another).
         */
        public double mppsByRunTime() {
            return workers.stream().mapToDouble(WorkerResult::mpps).sum();
        }
    }

    private final Namespace ns;
    private final Path pinDir;
    private final BpfProgram program;
    private final int ingress;

    private KernelLiveRun(Namespace ns, Path pinDir, BpfProgram program, int ingress) {
        this.ns = ns;
        this.pinDir = pinDir;
        this.program = program;
        this.ingress = ingress;
    }

    /** Makes the namespace, the veths and the pins; {@code prefix} starts every name it creates. */
    public static KernelLiveRun open(Setup setup, String prefix) throws IOException {
        Path pins = Path.of("/sys/fs/bpf/" + prefix + "-" + ProcessHandle.current().pid() + "-" + Long.toHexString(System.nanoTime()));
        Namespace ns = Namespace.create(prefix);
        try {
            // No IPv6 on the veths: its own traffic at link up (router solicitations, MLD reports) would go
            // through the tc egress programs and the counters beside the test run's frames.
            ns.exec("sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1");
            ns.ip("link", "add", "in0", "index", Integer.toString(LoadTest.RX_IFINDEX), "type", "veth", "peer", "name", "in1", "index", "12");
            ns.ip("link", "add", "out0", "index", Integer.toString(LoadTest.TX_IFINDEX), "type", "veth", "peer", "name", "out1", "index", "13");
            for (String dev : List.of("in0", "in1", "out0", "out1")) {
                // before XDP is attached: a veth whose peer runs XDP caps its MTU (veth_xdp_set)
                ns.ip("link", "set", dev, "mtu", Integer.toString(setup.mtu()), "up");
            }
            for (String far : List.of("in1", "out1")) {
                ns.ip("link", "set", "dev", far, "xdpdrv", "obj", setup.dropObject().toString(), "sec", "xdp");
            }
            Files.createDirectories(pins);
            Namespace.run(List.of("bpftool", "prog", "loadall", setup.xdpObject().toString(), pins.resolve("xdp").toString(),
                    "pinmaps", pins.resolve("xdp-maps").toString()));
            if (setup.devmap() != null) {
                fillDevmap(ns, pins.resolve("xdp-maps").resolve(setup.devmap()), ns.ifindex("out0"));
            }
            // tc loads these itself (libbpf too): ip netns exec mounts a fresh /sys, where the pins are not.
            if (setup.tcIngress() != null) {
                attachTc(ns, "in0", "ingress", setup.tcIngress());
            }
            if (setup.tcEgress() != null) {
                attachTc(ns, "in0", "egress", setup.tcEgress());
                attachTc(ns, "out0", "egress", setup.tcEgress());
            }
            BpfProgram program = Bpf.pinnedProgram(pins.resolve("xdp").resolve(setup.xdpProgram()), ProgType.XDP);
            return new KernelLiveRun(ns, pins, program, ns.ifindex("in0"));
        } catch (IOException | RuntimeException e) {
            ns.close();
            deleteTree(pins);
            throw e;
        }
    }

    /** {@code tc filter add dev DEV DIRECTION bpf direct-action}, with a clsact qdisc on DEV first if it has none. */
    private static void attachTc(Namespace ns, String dev, String direction, TcProgram program) throws IOException {
        if (!ns.exec("tc", "qdisc", "show", "dev", dev).contains("clsact")) {
            ns.exec("tc", "qdisc", "add", "dev", dev, "clsact");
        }
        ns.exec("tc", "filter", "add", "dev", dev, direction, "bpf", "direct-action", "object-file", program.object().toString(), "section",
                program.section());
    }

    /**
     * The packets a veth of the set-up ({@code in0}, {@code in1}, {@code out0}, {@code out1}) has
     * sent so far, by its counters: what left through a hook, a check that the kernel's side did what
     * jxdp's did.
     */
    public long txPackets(String device) throws IOException {
        return Long.parseLong(ns.exec("cat", "/sys/class/net/" + device + "/statistics/tx_packets").strip());
    }

    /**
     * Slot 0 of the pinned devmap = {@code ifindex}, written from a thread inside the namespace: the
     * kernel resolves a devmap's ifindex in the writer's namespace (bpftool under ip netns exec would
     * not see the pins, since that mounts a fresh /sys).
     */
    private static void fillDevmap(Namespace ns, Path pin, int ifindex) throws IOException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = Thread.ofPlatform().name("kernel-devmap").start(() -> {
            try (BpfMap map = Bpf.pinnedMap(pin, MapSpec.of(MapType.DEVMAP, 4, 4, 1))) {
                ns.enterThisThread();
                map.update(le(0), le(ifindex));
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        join(t);
        rethrow(failure.get());
    }

    private static byte[] le(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    private static void join(Thread t) throws IOException {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static void rethrow(Throwable t) throws IOException {
        if (t instanceof IOException io) {
            throw io;
        }
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t != null) {
            throw new IOException(t);
        }
    }

    /**
     * Sends {@code framesPerWorker} copies of {@code frame} through the program on each of
     * {@code workers} threads at once, {@code batch} frames per kernel batch (0: the kernel's 64).
     */
    public Result run(byte[] frame, long framesPerWorker, int workers, int batch) throws IOException {
        return run(List.of(new Share(frame, framesPerWorker)), workers, batch);
    }

    /** {@code frames} copies of {@code frame} per worker: one part of a mixed run. */
    public record Share(byte[] frame, long frames) {}

    /**
     * Sends each share's frames through the program, one share after the other, on each of
     * {@code workers} threads at once (a test run repeats one frame, so mixed traffic is its frames in
     * turn): one start of the threads and one wall clock for all of it, as for a single frame.
     */
    public Result run(List<Share> mix, int workers, int batch) throws IOException {
        List<TestRun> runs = new ArrayList<>();
        for (Share share : mix) {
            byte[] ctx = ByteBuffer.allocate(XDP_MD_SIZE).order(ByteOrder.nativeOrder())
                    .putInt(0).putInt(share.frame().length).putInt(0).putInt(ingress).putInt(0).putInt(0).array();
            runs.add(TestRun.of(share.frame()).withCtx(ctx).withLiveFrames(batch));
        }
        WorkerResult[] results = new WorkerResult[workers];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int w = 0; w < workers; w++) {
            int index = w;
            threads.add(Thread.ofPlatform().name("kernel-live-" + w).start(() -> {
                try {
                    ns.enterThisThread();
                    Affinity.pin(index); // best effort: a refused pin leaves the thread where the scheduler puts it
                    long done = 0;
                    double ns = 0;
                    for (int s = 0; s < runs.size(); s++) {
                        long frames = mix.get(s).frames();
                        for (long sent = 0; sent < frames; ) {
                            int n = (int) Math.min(FRAMES_PER_CALL, frames - sent);
                            TestRunResult r = program.testRun(runs.get(s).withRepeat(n));
                            ns += (double) r.durationNs() * n;
                            sent += n;
                        }
                        done += frames;
                    }
                    results[index] = new WorkerResult(done, ns / done);
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }));
        }
        for (Thread t : threads) {
            join(t);
        }
        long wall = System.nanoTime() - start;
        rethrow(failure.get());
        return new Result(List.of(results), wall);
    }

    @Override
    public void close() {
        program.close();
        ns.close();
        deleteTree(pinDir);
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (var s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.getLogger(KernelLiveRun.class.getName()).log(System.Logger.Level.WARNING, "could not remove " + root + ": " + e.getMessage());
        }
    }
}
