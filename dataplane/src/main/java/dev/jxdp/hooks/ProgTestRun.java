package dev.jxdp.hooks;

import dev.jxdp.load.LoadedProgram;
import dev.jxdp.maps.Epochs;
import dev.jxdp.obj.AttachType;
import dev.jxdp.obj.ProgramType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;

/**
 * BPF_PROG_TEST_RUN for XDP and tc programs, as net/bpf/test_run.c does it on Linux 6.18 (what
 * {@code bpftool prog run} asks for), checked against that kernel:
 *
 * <ul>
 *   <li>XDP: the frame in a 4 KiB buffer with 256 bytes of headroom (less the metadata ctx_in asks for)
 *       and 320 of shared info at the end, so at most 3520 bytes linear; the rest of a longer data_in
 *       goes into 4 KiB fragments (at most 17), whatever the program's xdp.frags flag says, and
 *       ctx_in's data_end may make the linear part shorter. ctx_in may set data (metadata length, a
 *       multiple of 4 up to 216: the headroom less the frame descriptor), data_end, ingress_ifindex and rx_queue_index (an existing device and
 *       queue); data_meta and egress_ifindex must be 0. data_out is metadata, linear part and
 *       fragments; ctx_out gives data and data_end relative to data_meta.
 *   <li>tc: the frame after 64 bytes of headroom, at most 3712 bytes; eth_type_trans on the device
 *       (the loopback device unless ctx_in's ifindex names another) sets protocol and pkt_type; an
 *       IPv4 frame needs 20 bytes after the Ethernet header, IPv6 40. ctx_in may set mark, priority,
 *       ingress_ifindex, ifindex, cb, tstamp, wire_len (0: the length; else at least it, at most
 *       65536), gso_segs (at most 65535), gso_size and hwtstamp; anything else must be 0. ctx_out
 *       returns those fields as the program left them.
 *   <li>Both: data_in of at least 14 bytes; repeat runs the program that many times on the same
 *       frame, which keeps what each run did; ctx_in longer than the struct must be zero past it
 *       (else E2BIG); output longer than data_size_out is ENOSPC.
 * </ul>
 *
 * A program loaded unverified ({@code LoadedObject.Options.unverified()}) may fault, which the kernel's
 * verifier would have prevented: that is a {@link dev.jxdp.exec.ExecutionException}.
 */
public final class ProgTestRun {
    private ProgTestRun() {}

    /** PAGE_SIZE: the buffer test_run puts an XDP frame (or an skb's data) in. */
    static final int PAGE = 4096;
    /** The linear limit of an XDP frame: a page less headroom and shared info. */
    static final int XDP_MAX_LINEAR = PAGE - XdpBuff.PACKET_HEADROOM - XdpBuff.SHARED_INFO;
    /** The largest skb: a page less NET_SKB_PAD and shared info. */
    static final int SKB_MAX = PAGE - Skb.NET_SKB_PAD - XdpBuff.SHARED_INFO;
    /** GSO_LEGACY_MAX_SIZE, GSO_MAX_SEGS. */
    static final int GSO_LEGACY_MAX_SIZE = 65536;
    static final int GSO_MAX_SEGS = 65535;

    private static final ValueLayout.OfInt LE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /**
     * What to run.
     *
     * @param dataIn the frame (data_in)
     * @param ctxIn the context (ctx_in), or null
     * @param ctxOut whether to return the context (ctx_out; the kernel fills it from ctx_in, or zeros)
     * @param dataSizeOut data_size_out: the most data_out may hold (0: no limit)
     * @param ctxSizeOut ctx_size_out: the most ctx_out may hold (0: no limit)
     * @param repeat how many runs (0 counts as 1)
     * @param histogram whether to time each run into a histogram (costs a clock read per run)
     */
    public record Input(byte[] dataIn, byte[] ctxIn, boolean ctxOut, int dataSizeOut, int ctxSizeOut, int repeat, boolean histogram) {
        public Input {
            dataIn = dataIn.clone();
            ctxIn = ctxIn == null ? null : ctxIn.clone();
            if (repeat < 0 || dataSizeOut < 0 || ctxSizeOut < 0) {
                throw new IllegalArgumentException("negative repeat or output size");
            }
        }

        /** One run on {@code data}, no context. */
        public static Input of(byte[] data) {
            return new Input(data, null, false, 0, 0, 1, false);
        }

        public Input withCtx(byte[] ctx) {
            return new Input(dataIn, ctx, true, dataSizeOut, ctxSizeOut, repeat, histogram);
        }

        public Input withRepeat(int n) {
            return new Input(dataIn, ctxIn, ctxOut, dataSizeOut, ctxSizeOut, n, histogram);
        }

        public Input withDataSizeOut(int n) {
            return new Input(dataIn, ctxIn, ctxOut, n, ctxSizeOut, repeat, histogram);
        }

        public Input withHistogram(boolean h) {
            return new Input(dataIn, ctxIn, ctxOut, dataSizeOut, ctxSizeOut, repeat, h);
        }

        @Override
        public byte[] dataIn() {
            return dataIn.clone();
        }

        @Override
        public byte[] ctxIn() {
            return ctxIn == null ? null : ctxIn.clone();
        }
    }

    /**
     * What came out.
     *
     * @param retval r0's low 32 bits after the last run
     * @param durationNs the mean time of one run (ns), as the kernel reports it
     * @param dataOut the frame afterwards
     * @param ctxOut the context afterwards, or null if not asked for
     * @param latency per-run times in ns, or null if not asked for
     */
    public record Result(long retval, long durationNs, byte[] dataOut, byte[] ctxOut, Histogram latency) {
        @Override
        public byte[] dataOut() {
            return dataOut.clone();
        }

        @Override
        public byte[] ctxOut() {
            return ctxOut == null ? null : ctxOut.clone();
        }
    }

    /**
     * Runs {@code program} as BPF_PROG_TEST_RUN would, on worker 0 of {@code network}.
     *
     * @throws TestRunException where the kernel refuses the input, with its errno
     * @throws dev.jxdp.exec.ExecutionException if the program faults
     */
    public static Result run(LoadedProgram program, Input in, Network network) {
        Objects.requireNonNull(program);
        return switch (program.type()) {
            case XDP -> xdp(program, in, network);
            case SCHED_CLS, SCHED_ACT -> tc(program, in, network);
            default -> throw new TestRunException(524, program + ": jxdp runs only XDP and tc programs"); // ENOTSUPP
        };
    }

    private static TestRunException einval(String why) {
        return new TestRunException(22, why);
    }

    private static byte[] ctx(Input in, int structSize) {
        byte[] c = new byte[structSize];
        if (in.ctxIn() != null) {
            byte[] given = in.ctxIn();
            if (given.length == 0) {
                throw einval("ctx_in is empty");
            }
            for (int i = structSize; i < given.length; i++) {
                if (given[i] != 0) {
                    throw new TestRunException(7, "ctx_in is " + given.length + " bytes and not zero past the " + structSize
                            + " of the struct");
                }
            }
            System.arraycopy(given, 0, c, 0, Math.min(structSize, given.length));
        }
        return c;
    }

    // ---- XDP

    private static Result xdp(LoadedProgram program, Input in, Network network) {
        AttachType attach = program.spec().expectedAttachType();
        if (attach == AttachType.XDP_DEVMAP || attach == AttachType.XDP_CPUMAP) {
            throw einval(program + " is for " + attach.bpftoolName() + " entries, which BPF_PROG_TEST_RUN does not run");
        }
        byte[] data = in.dataIn();
        boolean hasCtx = in.ctxIn() != null || in.ctxOut();
        byte[] ctx = hasCtx ? ctx(in, XdpMdField.STRUCT_SIZE) : null;
        MemorySegment c = hasCtx ? MemorySegment.ofArray(ctx) : null;
        int headroom = XdpBuff.PACKET_HEADROOM;
        int meta = 0;
        long linear = data.length;
        if (hasCtx) {
            long cData = Integer.toUnsignedLong(c.get(LE32, 0));
            long cEnd = Integer.toUnsignedLong(c.get(LE32, 4));
            if (c.get(LE32, 8) != 0) {
                throw einval("ctx_in's data_meta must be 0");
            }
            if (cEnd > data.length || cData > cEnd) {
                throw einval("ctx_in's data (" + cData + ") and data_end (" + cEnd + ") must satisfy data <= data_end <= the "
                        + data.length + " bytes of data_in");
            }
            if ((cData & 3) != 0 || cData > XdpBuff.META_MAX) {
                throw einval("ctx_in's data is the metadata length: a multiple of 4 of at most 252, not " + cData);
            }
            if (cData > XdpBuff.PACKET_HEADROOM - XdpBuff.FRAME_OVERHEAD) {
                throw einval("ctx_in's data asks for " + cData + " bytes of metadata; the headroom holds "
                        + (XdpBuff.PACKET_HEADROOM - XdpBuff.FRAME_OVERHEAD) + " after the frame descriptor");
            }
            meta = (int) cData;
            headroom -= meta;
            linear = cEnd;
        }
        if (data.length - meta < XdpBuff.ETH_HLEN) {
            throw einval("data_in is " + (data.length - meta) + " bytes" + (meta > 0 ? " after the metadata" : "")
                    + "; a frame needs at least 14 (an Ethernet header)");
        }
        int maxLinear = PAGE - headroom - XdpBuff.SHARED_INFO;
        linear = Math.min(linear, maxLinear);
        Arena arena = Arena.ofAuto();
        MemorySegment page = arena.allocate(PAGE, 64);
        MemorySegment.copy(MemorySegment.ofArray(data), 0, page, headroom, linear);
        // data_in's first ctx.data bytes are the metadata, just before data at XDP_PACKET_HEADROOM
        XdpBuff buff = new XdpBuff().reset(page, XdpBuff.PACKET_HEADROOM, (int) linear - meta).resetMeta(meta)
                .receivedOn(Device.LOOPBACK.ifindex(), 0).fragCapacity(PAGE);
        if (hasCtx) {
            int ifindex = c.get(LE32, 12);
            int queue = c.get(LE32, 16);
            if (c.get(LE32, 20) != 0) {
                throw einval("ctx_in's egress_ifindex must be 0");
            }
            if (ifindex == 0 && queue != 0) {
                throw einval("ctx_in has an rx_queue_index without an ingress_ifindex");
            }
            if (ifindex != 0) {
                Device dev = network.device(ifindex);
                if (dev == null) {
                    throw new TestRunException(19, "ctx_in's ingress_ifindex " + Integer.toUnsignedString(ifindex)
                            + " names no device (jxdp's test runs have " + devices(network) + ")");
                }
                if (Integer.compareUnsigned(queue, dev.rxQueues()) >= 0) {
                    throw einval("ctx_in's rx_queue_index " + Integer.toUnsignedString(queue) + " is not below the "
                            + dev.rxQueues() + " receive queue(s) of " + dev.name());
                }
                buff.receivedOn(ifindex, queue);
            } else {
                buff.receivedOn(Device.LOOPBACK.ifindex(), 0);
            }
        }
        for (long at = linear; at < data.length; ) {
            if (buff.fragCount() == XdpBuff.MAX_FRAGS) {
                throw new TestRunException(12, "data_in of " + data.length + " bytes needs more than " + XdpBuff.MAX_FRAGS
                        + " fragments of " + PAGE + " bytes after the linear part");
            }
            int n = (int) Math.min(PAGE, data.length - at);
            MemorySegment frag = arena.allocate(PAGE, 64);
            MemorySegment.copy(MemorySegment.ofArray(data), at, frag, 0, n);
            buff.addFrag(frag, 0, n);
            at += n;
        }
        PacketRun run = new PacketRun(0, network);
        Timing t = new Timing(in);
        int times = Math.max(1, in.repeat());
        long r0 = repeat(program, times, t, () -> run.runXdp(program, buff));
        byte[] out = buff.toByteArrayWithMetadata();
        checkSize(out.length, in.dataSizeOut(), "data");
        byte[] ctxOut = null;
        if (hasCtx && in.ctxOut()) {
            c.set(LE32, 0, buff.metaLength());
            c.set(LE32, 4, buff.metaLength() + buff.linearLength());
            ctxOut = ctx;
            checkSize(ctxOut.length, in.ctxSizeOut(), "ctx");
        }
        return new Result(r0 & 0xffff_ffffL, t.mean(times), out, ctxOut, t.histogram);
    }

    private static String devices(Network network) {
        return network.device(1) != null ? "ifindex 1, " + network.device(1).name() : "no devices";
    }

    private static void checkSize(int size, int limit, String what) {
        if (limit > 0 && size > limit) {
            throw new TestRunException(28, what + "_out is " + size + " bytes, more than " + what + "_size_out " + limit);
        }
    }

    // ---- tc

    private static Result tc(LoadedProgram program, Input in, Network network) {
        byte[] data = in.dataIn();
        if (data.length < XdpBuff.ETH_HLEN || data.length > SKB_MAX) {
            throw einval("data_in is " + data.length + " bytes; an skb test run takes 14 (an Ethernet header) to " + SKB_MAX);
        }
        boolean hasCtx = in.ctxIn() != null || in.ctxOut();
        byte[] ctx = hasCtx ? ctx(in, SkBuffField.STRUCT_SIZE) : null;
        MemorySegment c = hasCtx ? MemorySegment.ofArray(ctx) : null;
        Device dev = Device.LOOPBACK;
        if (hasCtx) {
            int ifindex = c.get(LE32, SkBuffField.IFINDEX.offset());
            if (ifindex > 1) {
                dev = network.device(ifindex);
                if (dev == null) {
                    throw new TestRunException(19, "ctx_in's ifindex " + ifindex + " names no device (jxdp's test runs have "
                            + devices(network) + ")");
                }
            }
        }
        MemorySegment buffer = Arena.ofAuto().allocate(PAGE, 64);
        MemorySegment.copy(MemorySegment.ofArray(data), 0, buffer, Skb.NET_SKB_PAD, data.length);
        Skb skb = new Skb().reset(buffer, Skb.NET_SKB_PAD, data.length);
        ethTypeTrans(skb, dev);
        int l3 = data.length - XdpBuff.ETH_HLEN;
        if (skb.protocol == SkbShapeHelpers.ETH_P_IP && l3 < 20 || skb.protocol == SkbShapeHelpers.ETH_P_IPV6 && l3 < 40) {
            throw einval("data_in is an " + (skb.protocol == SkbShapeHelpers.ETH_P_IP ? "IPv4" : "IPv6") + " frame of "
                    + data.length + " bytes, too short for its IP header");
        }
        if (hasCtx) {
            fromCtx(c, skb);
        }
        PacketRun run = new PacketRun(0, network);
        Timing t = new Timing(in);
        int times = Math.max(1, in.repeat());
        long r0 = repeat(program, times, t, () -> run.runTc(program, skb, Hook.TC_INGRESS));
        byte[] out = skb.toByteArray();
        checkSize(out.length, in.dataSizeOut(), "data");
        byte[] ctxOut = null;
        if (hasCtx && in.ctxOut()) {
            toCtx(skb, c);
            ctxOut = ctx;
            checkSize(ctxOut.length, in.ctxSizeOut(), "ctx");
        }
        return new Result(r0 & 0xffff_ffffL, t.mean(times), out, ctxOut, t.histogram);
    }

    /** eth_type_trans: pkt_type from the destination address, protocol from the EtherType (or 802.3/802.2). */
    static void ethTypeTrans(Skb skb, Device dev) {
        skb.ethTypeTrans(dev);
    }

    /** convert___skb_to_skb: the fields ctx_in may set, everything else must be zero. */
    private static void fromCtx(MemorySegment c, Skb skb) {
        int[][] zero = {{0, 8}, {12, 32}, {44, 48}, {68, 152}, {168, 176}, {180, 184}};
        for (int[] range : zero) {
            for (int i = range[0]; i < range[1]; i++) {
                if (c.get(ValueLayout.JAVA_BYTE, i) != 0) {
                    SkBuffField f = SkBuffField.at(i);
                    throw einval("ctx_in sets __sk_buff." + (f == null ? "padding at " + i : f.cName())
                            + ", which a test run takes from the frame (only mark, priority, ingress_ifindex, ifindex, cb,"
                            + " tstamp, wire_len, gso_segs, gso_size and hwtstamp may be set)");
                }
            }
        }
        skb.mark(c.get(LE32, 8));
        skb.priority(c.get(LE32, 32));
        skb.ingressIfindex(c.get(LE32, 36));
        skb.tstamp(c.get(LE64, 152));
        MemorySegment.copy(c, 48, MemorySegment.ofArray(skb.cb()), 0, Skb.CB_SIZE);
        long wire = Integer.toUnsignedLong(c.get(LE32, 160));
        if (wire == 0) {
            skb.wireLen(skb.length());
        } else if (wire < skb.length() || wire > GSO_LEGACY_MAX_SIZE) {
            throw einval("ctx_in's wire_len " + wire + " must be 0 or between the frame's " + skb.length() + " bytes and "
                    + GSO_LEGACY_MAX_SIZE);
        } else {
            skb.wireLen((int) wire);
        }
        long segs = Integer.toUnsignedLong(c.get(LE32, 164));
        if (segs > GSO_MAX_SEGS) {
            throw einval("ctx_in's gso_segs " + segs + " is above " + GSO_MAX_SEGS);
        }
        skb.gso((int) segs, c.get(LE32, 176));
        skb.hwtstamp(c.get(LE64, 184));
    }

    /** convert_skb_to___skb. */
    private static void toCtx(Skb skb, MemorySegment c) {
        c.set(LE32, 8, skb.mark());
        c.set(LE32, 32, skb.priority());
        c.set(LE32, 36, skb.ingressIfindex());
        c.set(LE32, 40, skb.ifindex());
        c.set(LE64, 152, skb.tstamp());
        MemorySegment.copy(MemorySegment.ofArray(skb.cb()), 0, c, 48, Skb.CB_SIZE);
        c.set(LE32, 160, skb.wireLen());
        c.set(LE32, 164, skb.gsoSegs());
        c.set(LE64, 184, skb.hwtstamp());
    }

    /**
     * The clock around the runs: without a histogram, one reading before the first run and one after
     * the last, as the kernel's bpf_test_timer reads it around the loop (a clock read costs about as
     * much as a short program on these VMs); with one, a reading before and after each run.
     */
    private static final class Timing {
        final Histogram histogram;
        private long total;
        private long begin;

        Timing(Input in) {
            histogram = in.histogram() ? new Histogram(3) : null;
        }

        long start() {
            if (histogram == null && begin != 0) {
                return 0;
            }
            long now = System.nanoTime();
            if (begin == 0) {
                begin = now;
            }
            return now;
        }

        void stop(long start) {
            if (histogram != null) {
                long now = System.nanoTime();
                total = now - begin;
                histogram.recordValue(Math.max(0, now - start));
            }
        }

        /** After the last run. */
        void end() {
            if (histogram == null) {
                total = System.nanoTime() - begin;
            }
        }

        long mean(int times) {
            return Math.min(0xffff_ffffL, total / times);
        }
    }

    /** Runs {@code run} {@code times} times, timed by {@code t}, in epoch read sections; the last r0. */
    private static long repeat(LoadedProgram program, int times, Timing t, LongSupplier run) {
        long r0 = 0;
        Epochs.Reader section = program.epochReader();
        section.enter();
        try {
            for (int i = 0; i < times; i++) {
                if ((i & SECTION_RUNS - 1) == SECTION_RUNS - 1) {
                    section.exit();
                    section.enter();
                }
                long start = t.start();
                r0 = run.getAsLong();
                t.stop(start);
            }
        } finally {
            section.exit();
        }
        t.end();
        return r0;
    }

    /**
     * Runs per epoch read section of a repeat loop. The kernel's bpf_test_run holds rcu_read_lock
     * around its loop (bpf_test_timer_enter) and leaves it only to reschedule, so the runs pay no
     * barrier each; jxdp's loop holds one section likewise (each run's own is then nested, without its
     * fence) and leaves it every this many runs so that map elements a program deletes can be reused.
     */
    private static final int SECTION_RUNS = 1024;

    static boolean isPacketProgram(ProgramType t) {
        return t == ProgramType.XDP || t == ProgramType.SCHED_CLS || t == ProgramType.SCHED_ACT;
    }
}
