package dev.jxdp.nic.port.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.jxdp.nic.port.tap.KernelTaps.le;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jxdp.hooks.Device;
import dev.jxdp.hooks.Pipeline;
import dev.jxdp.hooks.Port;
import dev.jxdp.hooks.XdpBuff;
import dev.jxdp.kernel.Bpf;
import dev.jxdp.kernel.BpfMap;
import dev.jxdp.kernel.BpfProgram;
import dev.jxdp.kernel.MapSpec;
import dev.jxdp.kernel.MapType;
import dev.jxdp.kernel.ProgType;
import dev.jxdp.load.LoadedObject;
import dev.jxdp.nic.port.posix.Posix;
import dev.jxdp.nic.testing.Cmd;
import dev.jxdp.nic.testing.Netns;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a cpumap program's xdp_md says about a frame, jxdp against the kernel: programs/bin/
 * xdp_cpumap_fields.o's XDP program records its rx_queue_index and ingress_ifindex and redirects to
 * CPU 1, where the entry's program (cpumap_fields, put in struct bpf_cpumap_val by its descriptor)
 * records its own. In the kernel the XDP program runs natively on a multi-queue tap (tun's own XDP,
 * the model of jxdp's ports) for a frame written to its second queue, and the cpumap's kthread on CPU
 * 1 runs the second program. The kernel's answer on this machine: the XDP program sees queue 1, the
 * cpumap program the same device and queue 0 (cpumap.c gives it an xdp_rxq_info of its own, which
 * records the device but no queue). BPF_PROG_TEST_RUN's live frames cannot show this: they always
 * arrive on queue 0.
 */
@Timeout(60)
class CpumapProgramKernelTest {
    /** IFF_MULTI_QUEUE: one descriptor per queue, all with the same name. */
    private static final short IFF_MULTI_QUEUE = 0x0100;

    @Test
    void aCpumapProgramSeesTheIngressDeviceAndQueueZero() throws Exception {
        Netns.assumeTaps();
        assumeTrue(Cmd.available("bpftool") && Cmd.available("nsenter"), "bpftool or nsenter is not installed");
        assumeTrue(Runtime.getRuntime().availableProcessors() >= 2, "the cpumap entry needs a CPU 1");
        Path object = KernelTaps.object("xdp_cpumap_fields");
        byte[] frame = udpFrame();

        int[] kernel;
        int kernelIfindex;
        String device = Netns.uniqueDevice("jxc");
        Path pins = Path.of("/sys/fs/bpf/jxdp-cpumap-" + ProcessHandle.current().pid() + "-" + Long.toHexString(System.nanoTime()));
        try (Netns ns = Netns.create(); Posix posix = new Posix(); Arena arena = Arena.ofConfined()) {
            int queue0 = openQueue(posix, arena, device);
            int queue1 = openQueue(posix, arena, device);
            try {
                ns.adopt(device);
                ns.exec("ip", "link", "set", device, "up").orFail();
                kernelIfindex = Integer.parseInt(ns.exec("cat", "/sys/class/net/" + device + "/ifindex").orFail().out().strip());
                Files.createDirectories(pins);
                Cmd.run("bpftool", "prog", "loadall", object.toString(), pins.resolve("progs").toString(), "pinmaps",
                        pins.resolve("maps").toString()).orFail();
                try (BpfMap cpus = Bpf.pinnedMap(pins.resolve("maps/cpus"), MapSpec.of(MapType.CPUMAP, 4, 8, 4));
                        BpfMap fields = Bpf.pinnedMap(pins.resolve("maps/fields"), MapSpec.of(MapType.ARRAY, 4, 4, 4));
                        BpfProgram second = Bpf.pinnedProgram(pins.resolve("progs/cpumap_fields"), ProgType.XDP)) {
                    cpus.update(le(1), cpumapEntry(second.fd()));
                    // nsenter, not ip netns exec: the network namespace only, so the pins in this /sys/fs/bpf stay in sight
                    Cmd.run("nsenter", "--net=/run/netns/" + ns.name(), "bpftool", "net", "attach", "xdpdrv", "pinned",
                            pins.resolve("progs/xdp_cpumap_fields").toString(), "dev", device).orFail();
                    MemorySegment out = arena.allocate(frame.length);
                    MemorySegment.copy(MemorySegment.ofArray(frame), 0, out, 0, frame.length);
                    assertEquals(frame.length, posix.write(queue1, out.address(), frame.length), "tun took the frame on queue 1");
                    kernel = awaitFields(fields);
                }
            } finally {
                posix.close(queue1);
                posix.close(queue0);
                Cmd.run("rm", "-rf", pins.toString());
            }
        }
        assertEquals(1, kernel[0], "the kernel's XDP program: rx_queue_index");
        assertEquals(kernelIfindex, kernel[1], "the kernel's XDP program: ingress_ifindex");
        assertEquals(kernelIfindex, kernel[3], "the kernel's cpumap program: ingress_ifindex");

        Pipeline pipeline = Pipeline.builder().workers(2).build();
        Port port = pipeline.addPort(new Device(2, device, new byte[] {2, 0, 0, 0, 0, 7}, 1500, 2, 0), (p, f, tunnel) -> {});
        try (LoadedObject o = KernelTaps.load(pipeline, "xdp_cpumap_fields"); Arena arena = Arena.ofConfined()) {
            o.map("cpus").update(le(1), cpumapEntry(o.program("cpumap_fields").id())); // jxdp's programs go by id
            pipeline.attachXdp(port, o.program("xdp_cpumap_fields"));
            MemorySegment buffer = arena.allocate(4096, 64);
            MemorySegment.copy(MemorySegment.ofArray(frame), 0, buffer, XdpBuff.PACKET_HEADROOM, frame.length);
            pipeline.worker(0).receive(port, 1, buffer, XdpBuff.PACKET_HEADROOM, frame.length);
            assertEquals(1, pipeline.worker(1).poll(), "the frame queued for worker 1");
            int[] jxdp = fields(slot -> o.map("fields").lookup(slot));
            assertEquals(1, jxdp[0], "jxdp's XDP program: rx_queue_index");
            assertEquals(2, jxdp[1], "jxdp's XDP program: ingress_ifindex");
            assertEquals(kernel[2], jxdp[2], "jxdp's cpumap program: rx_queue_index, against the kernel's");
            assertEquals(2, jxdp[3], "jxdp's cpumap program: ingress_ifindex (the port's, as the kernel's is its device's)");
        }
    }

    /** One more queue of multi-queue tap {@code device} (the first call creates it): its descriptor. */
    private static int openQueue(Posix posix, Arena arena, String device) {
        int fd = posix.open(Tun.CLONE_DEVICE, Posix.O_RDWR | Posix.O_NONBLOCK | Posix.O_CLOEXEC);
        assertTrue(fd >= 0, "open " + Tun.CLONE_DEVICE + ": " + Posix.strerror(posix.errno()));
        MemorySegment ifr = arena.allocate(Tun.IFREQ);
        ifr.setString(0, device, StandardCharsets.US_ASCII);
        ifr.set(ValueLayout.JAVA_SHORT, Tun.IFNAMSIZ, (short) (Tun.IFF_TAP | Tun.IFF_NO_PI | IFF_MULTI_QUEUE));
        assertTrue(posix.ioctl(fd, Tun.TUNSETIFF, ifr) >= 0, "TUNSETIFF " + device + ": " + Posix.strerror(posix.errno()));
        return fd;
    }

    /** struct bpf_cpumap_val for CPU 1's entry: a queue of 64 frames and program {@code prog}. */
    private static byte[] cpumapEntry(int prog) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(64).putInt(prog).array();
    }

    /** The four slots of "fields", each read by {@code lookup} (a key in, the value if any out). */
    private static int[] fields(Function<byte[], Optional<byte[]>> lookup) {
        int[] v = new int[4];
        for (int i = 0; i < 4; i++) {
            v[i] = ByteBuffer.wrap(lookup.apply(le(i)).orElseThrow()).order(ByteOrder.LITTLE_ENDIAN).getInt();
        }
        return v;
    }

    /** The four slots of "fields" once the cpumap program has written slot 3 (its kthread runs on CPU 1), waiting up to 5 s. */
    private static int[] awaitFields(BpfMap fields) throws InterruptedException {
        long until = System.nanoTime() + 5_000_000_000L;
        int[] v;
        do {
            v = fields(fields::lookup);
            if (v[3] != 0) {
                return v;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < until);
        throw new AssertionError("the kernel's cpumap program did not run within 5 s: fields " + java.util.Arrays.toString(v));
    }

    /** A 64-byte IPv4/UDP frame (checksums are not looked at). */
    private static byte[] udpFrame() {
        ByteBuffer b = ByteBuffer.allocate(64);
        b.put(new byte[] {2, 0, 0, 0, 0, 7, 2, 0, 0, 0, 0, 8}).putShort((short) 0x0800);
        b.put(new byte[] {0x45, 0, 0, 50, 0, 0, 0x40, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2});
        b.putShort((short) 1024).putShort((short) 9).putShort((short) 30).putShort((short) 0);
        return b.array();
    }
}
