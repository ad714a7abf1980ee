package dev.jxdp.hooks;

import dev.jxdp.exec.ExecutionException;
import dev.jxdp.load.LoadedProgram;
import dev.jxdp.maps.CpuMap;
import dev.jxdp.maps.DevMap;
import dev.jxdp.maps.EbpfMap;
import dev.jxdp.maps.ProgramRef;
import dev.jxdp.maps.XskMap;
import dev.jxdp.obj.MapType;
import dev.jxdp.obj.ProgramSpec;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One packet worker of a {@link Pipeline} (the kernel's CPU running NAPI): it takes frames in, runs
 * them through the hooks and returns what became of each. A worker belongs to one thread; per-CPU maps
 * and bpf_get_smp_processor_id see its index.
 *
 * <p>The path, as in the kernel:
 * <pre>
 *   receive -> XDP chain -> DROP (recycle) | ABORTED (exception) | TX (out of the same port)
 *                         | REDIRECT (devmap port, cpumap worker, xskmap socket, bpf_redirect port)
 *                         | PASS -> skb (XDP metadata kept) -> tc ingress -> host (metadata gone)
 *                                                      SHOT drop | REDIRECT -> tc egress / tc ingress / peer
 *   transmit (from the host) -> tc egress -> port
 * </pre>
 * XDP_TX and XDP redirects skip tc egress. Program faults and unknown verdicts never escape: the
 * packet is dropped and counted ({@link Pipeline#faults()}).
 */
public final class Worker implements Network {
    /** XMIT_RECURSION_LIMIT: how deep redirects may nest before the kernel calls it a loop. */
    static final int RECURSION_LIMIT = 8;
    /** max_reclassify_loop of tcf_classify. */
    static final int RECLASSIFY_LIMIT = 16;


    private final Pipeline pipeline;
    private final int index;
    /** One run state per nesting level: a clone redirect runs programs while a program runs. */
    private final PacketRun[] runs = new PacketRun[RECURSION_LIMIT + 2];
    private int nest;
    private final XdpBuff frame = new XdpBuff();
    private final XdpBuff clone = new XdpBuff();
    private final Skb skb = new Skb();
    private final Outcome outcome = new Outcome();
    final Counters counters;
    final LatencyRecorders latency = new LatencyRecorders();
    /**
     * For a timed frame whose path ended at a clock reading already taken (XDP_DROP: the XDP stage's
     * end), that reading, else 0: the end-to-end time reuses it instead of reading the clock again
     * (about 23 ns a reading on the development VM, a third of a timed drop's cost).
     */
    private long endedAt;
    final ConcurrentLinkedQueue<CpuFrame> backlog = new ConcurrentLinkedQueue<>();
    /** Frames in {@link #backlog}: a cpumap entry's queue size bounds it, as its ptr_ring does. */
    final java.util.concurrent.atomic.AtomicInteger backlogged = new java.util.concurrent.atomic.AtomicInteger();
    private final Arena arena = Arena.ofAuto();
    private MemorySegment scratch;
    private MemorySegment cloneBuffer;
    private long packets;
    private int depth;

    Worker(Pipeline pipeline, int index, int ports) {
        this.pipeline = pipeline;
        this.index = index;
        this.counters = new Counters(ports);
    }

    public int index() {
        return index;
    }

    /** This worker's frame, to fill for {@link #receive(Port, XdpBuff)} (multi-buffer frames need it). */
    public XdpBuff frame() {
        return frame;
    }

    /**
     * Takes in a frame received on {@code port}'s queue {@code queue}: {@code length} bytes at
     * {@code headroom} in {@code buffer} (the whole off-heap buffer; at least
     * {@link XdpBuff#PACKET_HEADROOM} before the frame is what drivers give XDP, and
     * {@link XdpBuff#SHARED_INFO} after the room it may grow into). The buffer is the caller's again
     * when this returns; sinks got what they needed during the call.
     */
    public Outcome receive(Port port, int queue, MemorySegment buffer, int headroom, int length) {
        return receive(port, queue, buffer, headroom, length, 0);
    }

    /**
     * {@link #receive(Port, int, MemorySegment, int, int)} for a large segment the port took whole, to be
     * cut into {@code gsoSize}-byte payloads ({@link XdpBuff#gsoSize(int)}; 0 for an ordinary frame).
     */
    public Outcome receive(Port port, int queue, MemorySegment buffer, int headroom, int length, int gsoSize) {
        return receive(port, queue, buffer, headroom, length, gsoSize, false);
    }

    /**
     * {@link #receive(Port, int, MemorySegment, int, int, int)} for a frame whose L4 checksum is still to
     * be completed ({@link XdpBuff#checksumPartial(boolean)}) when {@code checksumPartial}.
     */
    public Outcome receive(Port port, int queue, MemorySegment buffer, int headroom, int length, int gsoSize, boolean checksumPartial) {
        frame.reset(buffer, headroom, length).receivedOn(port.ifindex(), queue).fragCapacity(0).gsoSize(gsoSize)
                .checksumPartial(checksumPartial);
        return receive(port, frame);
    }

    /** Takes in {@code f} (its receive queue set), single- or multi-buffer. */
    public Outcome receive(Port port, XdpBuff f) {
        Outcome o = outcome;
        o.reset(port);
        depth = 0;
        boolean timed = pipeline.timed(++packets);
        long t0 = timed ? System.nanoTime() : 0;
        endedAt = 0;
        XdpChain chain = port.xdp();
        if (chain.isEmpty()) {
            toStack(port, f, timed, true);
        } else {
            xdp(port, chain, f, timed, t0);
        }
        counters.fate(port, o.fate);
        if (timed) {
            latency.record(LatencyRecorders.TOTAL, (endedAt != 0 ? endedAt : System.nanoTime()) - t0);
        }
        return o;
    }

    /**
     * Sends a packet from the host out of {@code port}: tc egress, then the port's sink. The
     * {@code length} bytes at {@code offset} of {@code buffer} are an Ethernet frame.
     */
    public Outcome transmit(Port port, MemorySegment buffer, int offset, int length) {
        return transmit(port, buffer, offset, length, 0);
    }

    /**
     * As {@link #transmit(Port, MemorySegment, int, int)}, for a large segment the host's TCP handed
     * over whole, to be cut into {@code gsoSize} pieces (0: an ordinary frame). tc egress sees it as the
     * kernel's TCP made it: gso_size, and gso_segs its payload over gso_size, rounded up.
     */
    public Outcome transmit(Port port, MemorySegment buffer, int offset, int length, int gsoSize) {
        return transmit(port, buffer, offset, length, gsoSize, false);
    }

    /**
     * As {@link #transmit(Port, MemorySegment, int, int, int)}, for a frame whose L4 checksum the host
     * left to be completed when {@code checksumPartial}: tc egress sees CHECKSUM_PARTIAL, as the kernel's
     * TCP leaves its segments for a device that completes checksums.
     */
    public Outcome transmit(Port port, MemorySegment buffer, int offset, int length, int gsoSize, boolean checksumPartial) {
        Outcome o = outcome;
        o.reset(port);
        depth = 0;
        boolean timed = pipeline.timed(++packets);
        long t0 = timed ? System.nanoTime() : 0;
        Skb s = skb.reset(buffer, offset, length);
        s.protocol(length >= 14 ? s.be16At(12) : 0).pktType(Skb.PACKET_HOST);
        if (gsoSize != 0) {
            s.gsoTcp(SegmentHeaders.segments(length, SegmentHeaders.length(s.bytes()), gsoSize), gsoSize);
        }
        if (checksumPartial) {
            s.ipSummed = ChecksumHelpers.CHECKSUM_PARTIAL;
        }
        egress(port, s, timed);
        counters.hostFate(o.fate);
        if (timed) {
            latency.record(LatencyRecorders.TOTAL, System.nanoTime() - t0);
        }
        return o;
    }

    /**
     * Runs the frames cpumap redirects queued for this worker (the cpumap kthread's work): each entry's
     * program if it has one, then the stack. Returns how many it took.
     */
    public int poll() {
        int n = 0;
        while (pollOne() != null) {
            n++;
        }
        return n;
    }

    /**
     * Runs the oldest frame a cpumap redirect queued for this worker, as {@link #poll()} does, and
     * returns its outcome; null if none is queued. A NIC model that hands one frame at a time between
     * its workers takes them this way.
     */
    public Outcome pollOne() {
        CpuFrame c = backlog.poll();
        if (c == null) {
            return null;
        }
        backlogged.decrementAndGet();
        Outcome o = outcome;
        o.reset(c.in());
        depth = 0;
        // the cpumap kthread's xdp_rxq_info: the device the frame came in on, queue 0 (an xdp_frame keeps no queue)
        XdpBuff f = frame.reset(c.buffer(), c.headroom(), c.length()).resetMeta(c.metaLength()).receivedOn(c.in().ifindex(), 0)
                .fragCapacity(0);
        if (c.program() instanceof LoadedProgram p) {
            cpumapProgram(c.in(), p, f);
        } else {
            toStack(c.in(), f, false, false);
        }
        counters.fate(c.in(), o.fate);
        return o;
    }

    private PacketRun run() {
        PacketRun r = runs[nest];
        if (r == null) {
            r = new PacketRun(index, this);
            runs[nest] = r;
        }
        return r;
    }

    // ---- XDP

    private void xdp(Port port, XdpChain chain, XdpBuff f, boolean timed, long t0) {
        long r0 = XdpAction.PASS.code();
        LoadedProgram current = null;
        try {
            java.util.List<XdpChain.Entry> entries = chain.entries();
            for (int i = 0; i < entries.size(); i++) { // indexed: no iterator per packet
                XdpChain.Entry e = entries.get(i);
                current = e.program();
                if (f.hasFrags() && (current.spec().flags() & ProgramSpec.F_XDP_HAS_FRAGS) == 0) {
                    outcome.end(Outcome.Fate.DROPPED, port, current.name() + " cannot take a multi-buffer frame (no xdp.frags)");
                    return;
                }
                r0 = run().runXdp(current, f);
                long act = r0 & 0xffff_ffffL;
                if (act > 31 || (e.chainOn() & (1 << act)) == 0) {
                    break;
                }
            }
        } catch (RuntimeException e) {
            fault(port, Hook.XDP, current, e);
            return;
        }
        counters.verdict(port, Hook.XDP, r0);
        outcome.xdpVerdict = r0;
        long xdpEnd = 0;
        if (timed) {
            xdpEnd = System.nanoTime();
            latency.record(Hook.XDP.ordinal(), xdpEnd - t0);
        }
        XdpAction action = XdpAction.of(r0);
        if (action == null) {
            pipeline.invalidXdpAction(current, r0, port);
            action = XdpAction.ABORTED;
        }
        switch (action) {
            case DROP -> {
                outcome.end(Outcome.Fate.DROPPED, port, null);
                endedAt = xdpEnd; // only counting follows: the frame's end to end time ends with XDP's
            }
            case ABORTED -> aborted(port, current, r0);
            case TX -> xmit(port, f);
            case REDIRECT -> xdpRedirect(port, f);
            case PASS -> toStack(port, f, timed, true);
        }
    }

    private void aborted(Port port, LoadedProgram p, long r0) {
        String what = (r0 & 0xffff_ffffL) == 0 ? "returned XDP_ABORTED" : "returned " + (r0 & 0xffff_ffffL) + ", which is no XDP action";
        Fault f = new Fault(p.name(), Hook.XDP, -1, what);
        pipeline.fault(f);
        outcome.fault = f;
        outcome.end(Outcome.Fate.ABORTED, port, what);
    }

    private void fault(Port port, Hook hook, LoadedProgram p, RuntimeException e) {
        int pc = e instanceof ExecutionException x ? x.pc() : -1;
        Fault f = new Fault(p == null ? "?" : p.name(), hook, pc, e instanceof ExecutionException ? e.getMessage() : e.toString());
        pipeline.fault(f);
        outcome.fault = f;
        outcome.end(Outcome.Fate.ABORTED, port, "program fault");
    }

    /** XDP_TX and redirected frames go straight to the port's transmit side (no tc egress). */
    private void xmit(Port port, XdpBuff f) {
        port.sink().transmit(port, f.hasFrags() ? linearize(f) : f.linear(), null);
        outcome.end(Outcome.Fate.TRANSMITTED, port, null);
    }

    /**
     * xdp_ok_fwd_dev, which every XDP redirect to a device passes: a frame longer than the device's MTU
     * plus an Ethernet header and a VLAN tag is refused (EMSGSIZE; measured on kernel taps, 1518 bytes
     * go to an MTU of 1500, 1519 do not). A large segment (a tap's, taken whole) is held to what its
     * segments will be, headers and gso_size, not to its whole length: the kernel checks the whole
     * length and so drops every large segment an XDP program redirects, which would leave a switch
     * between taps with offloads nothing to move (README, "Differences from the kernel").
     */
    private static boolean tooLongFor(Port out, XdpBuff f) {
        long len = f.length();
        if (f.gsoSize() != 0) {
            int headers = SegmentHeaders.length(f.linear());
            if (headers > 0) {
                len = Math.min(len, headers + (long) f.gsoSize());
            }
        }
        return len > out.device().mtu() + XdpBuff.ETH_HLEN + VlanTags.VLAN_HLEN;
    }

    private static String tooLong(String helper, Port out, XdpBuff f) {
        return helper + " to " + out.name() + ": a frame of " + f.length() + " bytes is longer than its MTU " + out.device().mtu()
                + " allows (EMSGSIZE)";
    }

    private MemorySegment linearize(XdpBuff f) {
        byte[] all = f.toByteArray();
        MemorySegment s = scratch(all.length + XdpBuff.PACKET_HEADROOM + XdpBuff.SHARED_INFO);
        MemorySegment.copy(MemorySegment.ofArray(all), 0, s, XdpBuff.PACKET_HEADROOM, all.length);
        return s.asSlice(XdpBuff.PACKET_HEADROOM, all.length);
    }

    private MemorySegment scratch(long size) {
        if (scratch == null || scratch.byteSize() < size) {
            scratch = arena.allocate(Math.max(size, 16384), 64);
        }
        return scratch;
    }

    /** xdp_do_redirect: act on what the redirect helpers recorded, then forget it as the kernel does. */
    private void xdpRedirect(Port in, XdpBuff f) {
        RedirectInfo ri = run().redirect();
        MapType type = ri.mapType;
        Object target = ri.target;
        int mapId = ri.mapId;
        long flags = ri.flags;
        EbpfMap map = ri.map;
        ri.mapId = 0;
        ri.flags = 0;
        ri.mapType = null;
        if (type == null) {
            if (mapId != RedirectInfo.NO_MAP) {
                outcome.end(Outcome.Fate.DROPPED, in, "XDP_REDIRECT without a redirect helper call (EBADRQC)");
                return;
            }
            Port out = pipeline.port(ri.tgtIndex);
            if (out == null) {
                outcome.end(Outcome.Fate.DROPPED, in, "bpf_redirect to ifindex " + ri.tgtIndex + ", which is no port (EINVAL)");
                return;
            }
            if (tooLongFor(out, f)) {
                outcome.end(Outcome.Fate.DROPPED, in, tooLong("bpf_redirect", out, f));
                return;
            }
            xmit(out, f);
            return;
        }
        switch (type) {
            case DEVMAP, DEVMAP_HASH -> {
                if ((flags & RedirectInfo.F_BROADCAST) != 0) {
                    ri.map = null;
                    broadcast(in, f, (DevMap) map, (flags & RedirectInfo.F_EXCLUDE_INGRESS) != 0);
                } else {
                    DevMap.Target t = (DevMap.Target) target;
                    Port out = pipeline.port(t.ifindex());
                    if (out != null && tooLongFor(out, f)) {
                        outcome.end(Outcome.Fate.DROPPED, in, tooLong("bpf_redirect_map", out, f));
                        return;
                    }
                    devmapXmit(in, out, t, f);
                }
            }
            case CPUMAP -> {
                CpuMap.Target t = (CpuMap.Target) target;
                Worker to = pipeline.worker(t.worker());
                if (to.backlogged.incrementAndGet() > t.queueSize()) {
                    to.backlogged.decrementAndGet();
                    outcome.end(Outcome.Fate.DROPPED, in, "cpumap queue of worker " + t.worker() + " is full (" + t.queueSize() + " frames)");
                } else {
                    to.backlog.add(copyForCpu(in, f, t.program()));
                    outcome.end(Outcome.Fate.TO_CPU, in, null);
                    outcome.cpu = t.worker();
                }
            }
            case XSKMAP -> {
                XskMap.XskSocket socket = (XskMap.XskSocket) target;
                if (socket.queueId() != f.rxQueueIndex()) {
                    outcome.end(Outcome.Fate.DROPPED, in, "xskmap socket bound to queue " + socket.queueId() + ", frame from queue "
                            + f.rxQueueIndex() + " (EINVAL)");
                } else if (socket.receive(f.hasFrags() ? linearize(f) : f.linear())) {
                    outcome.end(Outcome.Fate.TO_SOCKET, in, null);
                } else {
                    outcome.end(Outcome.Fate.DROPPED, in, "xskmap socket's ring is full (ENOBUFS)");
                }
            }
            default -> outcome.end(Outcome.Fate.DROPPED, in, "redirect through a " + type + " (EBADRQC)");
        }
    }

    /** dev_map_enqueue_multi: a copy to every entry (but the ingress port with BPF_F_EXCLUDE_INGRESS). */
    private void broadcast(Port in, XdpBuff f, DevMap map, boolean excludeIngress) {
        if (map == null) {
            outcome.end(Outcome.Fate.DROPPED, in, "broadcast map gone (ENOENT)");
            return;
        }
        for (DevMap.Target t : map.targets()) {
            if (excludeIngress && t.ifindex() == in.ifindex()) {
                continue;
            }
            Port out = pipeline.port(t.ifindex());
            if (out != null && tooLongFor(out, f)) {
                continue; // is_valid_dst: a port the frame is too long for is left out
            }
            devmapXmit(in, out, t, copyOf(f, clone));
        }
        if (outcome.fate == null) {
            outcome.end(Outcome.Fate.DROPPED, in, "broadcast to no port");
        }
    }

    private XdpBuff copyOf(XdpBuff f, XdpBuff into) {
        int meta = f.metaLength();
        long size = XdpBuff.PACKET_HEADROOM + f.length() + XdpBuff.SHARED_INFO;
        if (cloneBuffer == null || cloneBuffer.byteSize() < size) {
            cloneBuffer = arena.allocate(Math.max(size, 4096), 64);
        }
        byte[] bytes = f.toByteArrayWithMetadata();
        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, cloneBuffer, XdpBuff.PACKET_HEADROOM - meta, bytes.length);
        return into.reset(cloneBuffer, XdpBuff.PACKET_HEADROOM, bytes.length - meta).resetMeta(meta)
                .receivedOn(f.ingressIfindex(), f.rxQueueIndex());
    }

    /** A devmap entry, to port {@code out} (null if its ifindex is no port): its program first (with egress_ifindex), then the port's transmit side. */
    private void devmapXmit(Port in, Port out, DevMap.Target t, XdpBuff f) {
        if (out == null) {
            outcome.end(Outcome.Fate.DROPPED, in, "devmap entry for ifindex " + t.ifindex() + ", which is no port");
            return;
        }
        if (t.program() instanceof LoadedProgram p) {
            // (kernel) dev_map_bpf_prog_run gives the program an rxq of its own, { .dev = rx_dev }: the
            // receiving device, queue 0
            f.egress(out.ifindex()).receivedOn(f.ingressIfindex(), 0);
            long r0;
            try {
                r0 = run().runXdp(p, f);
            } catch (RuntimeException e) {
                fault(out, Hook.XDP, p, e);
                return;
            }
            counters.verdict(out, Hook.XDP, r0);
            XdpAction a = XdpAction.of(r0);
            if (a != XdpAction.PASS) {
                if (a == null) {
                    pipeline.invalidXdpAction(p, r0, out);
                }
                outcome.end(Outcome.Fate.DROPPED, out, "devmap program " + p.name() + " returned " + (r0 & 0xffff_ffffL));
                return;
            }
        }
        xmit(out, f);
    }

    private CpuFrame copyForCpu(Port in, XdpBuff f, ProgramRef program) {
        int meta = f.metaLength();
        byte[] bytes = f.toByteArrayWithMetadata();
        MemorySegment copy = Arena.ofAuto().allocate(XdpBuff.PACKET_HEADROOM + bytes.length + XdpBuff.SHARED_INFO, 64);
        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, copy, XdpBuff.PACKET_HEADROOM - meta, bytes.length);
        return new CpuFrame(copy, XdpBuff.PACKET_HEADROOM, bytes.length - meta, meta, in, program);
    }

    private void cpumapProgram(Port in, LoadedProgram p, XdpBuff f) {
        long r0;
        try {
            r0 = run().runXdp(p, f);
        } catch (RuntimeException e) {
            fault(in, Hook.XDP, p, e);
            return;
        }
        counters.verdict(in, Hook.XDP, r0);
        outcome.xdpVerdict = r0;
        XdpAction a = XdpAction.of(r0);
        if (a == XdpAction.PASS) {
            toStack(in, f, false, false);
        } else if (a == XdpAction.REDIRECT) {
            xdpRedirect(in, f);
        } else if (a == XdpAction.DROP) {
            outcome.end(Outcome.Fate.DROPPED, in, null);
        } else {
            pipeline.invalidXdpAction(p, r0, in); // XDP_TX, XDP_ABORTED and unknown values: the cpumap drops them
            outcome.end(Outcome.Fate.ABORTED, in, "cpumap program " + p.name() + " returned " + (r0 & 0xffff_ffffL));
        }
    }

    // ---- the stack side: skb, tc ingress, tc egress

    /** XDP_PASS: an skb over the same buffer (metadata kept), eth_type_trans, tc ingress. */
    /**
     * XDP_PASS (or no XDP program): the skb over the frame, then tc ingress. {@code fromQueue}: a driver
     * built the skb on the queue the frame came in on and records it (skb_record_rx_queue: queue_mapping
     * is the queue + 1); the skb the cpumap kthread builds from a frame records no queue (0). Both
     * measured on a tap with native XDP (SkbAtTcIngressKernelTest).
     */
    private void toStack(Port port, XdpBuff f, boolean timed, boolean fromQueue) {
        Skb s = skb;
        if (f.hasFrags()) {
            MemorySegment lin = linearize(f);
            s.reset(scratch, XdpBuff.PACKET_HEADROOM, (int) lin.byteSize());
        } else {
            s.reset(f.buffer(), f.dataOffset(), f.linearLength()).metadata(f.metaLength());
        }
        if (s.length() < XdpBuff.ETH_HLEN) {
            outcome.end(Outcome.Fate.DROPPED, port, "runt frame of " + s.length() + " bytes (no Ethernet header)");
            return;
        }
        if (f.gsoSize() != 0) {
            // (kernel) tun takes gso_size from the virtio-net header and marks the skb SKB_GSO_DODGY with
            // gso_segs 0, to be counted when it is cut: tc reads them so (qdisc_pkt_len_init counts
            // segments for wire_len on egress, but leaves gso_segs as it is)
            s.gsoTcp(0, f.gsoSize());
        }
        if (fromQueue) {
            s.queueMapping = f.rxQueueIndex() + 1;
        }
        if (f.checksumPartial()) {
            // (kernel) virtio_net_hdr_to_skb: NEEDS_CSUM makes tun's skb CHECKSUM_PARTIAL (DATA_VALID it ignores:
            // measured, bpf_csum_level still says -EACCES)
            s.ipSummed = ChecksumHelpers.CHECKSUM_PARTIAL;
        }
        ProgTestRun.ethTypeTrans(s, port.device());
        s.ingressIfindex(port.ifindex());
        ingress(port, s, timed);
    }

    /** tc ingress, then the host (metadata gone) or where a redirect sends it. */
    private void ingress(Port port, Skb s, boolean timed) {
        if (VlanTags.tagged(s) && !VlanTags.untag(s)) {
            outcome.end(Outcome.Fate.DROPPED, port, "VLAN-tagged frame of " + s.length() + " bytes: too short to untag (the kernel needs "
                    + VlanTags.UNTAG_MIN + ")");
            return;
        }
        // (kernel) qdisc_skb_cb's pkt_len is taken at ingress after eth_type_trans pulled the Ethernet
        // header, which the program then sees pushed back: wire_len is len less the 14 bytes
        s.atIngress(true).wireLen(Math.max(0, s.length() - XdpBuff.ETH_HLEN));
        long t0 = timed ? System.nanoTime() : 0;
        TcChain chain = port.tc(Hook.TC_INGRESS);
        int code = chain.isEmpty() ? TcAction.UNSPEC.code() : tc(port, Hook.TC_INGRESS, chain, s);
        if (timed) {
            latency.record(Hook.TC_INGRESS.ordinal(), System.nanoTime() - t0);
        }
        outcome.tcIngressVerdict = chain.isEmpty() ? Outcome.NONE : code;
        switch (code) {
            case FAULTED -> {}
            case 2 -> outcome.end(Outcome.Fate.DROPPED, port, null);
            case 4, 5, 8 -> outcome.end(Outcome.Fate.CONSUMED, port, null);
            case 7 -> {
                s.clearMetadata();
                skbRedirect(port, s, true, timed);
            }
            default -> {
                s.clearMetadata();
                if (s.vlanPresent) {
                    VlanTags.insertHeld(s); // the host sees the frame with the tag it came with (or a program pushed)
                }
                pipeline.host().deliver(port, s);
                outcome.end(Outcome.Fate.TO_HOST, port, null);
            }
        }
    }

    /** tc egress, then the port's transmit side (or where a redirect sends it). */
    private void egress(Port port, Skb s, boolean timed) {
        // (kernel) qdisc_pkt_len_init: a large segment's wire_len counts the headers of the segments it will be cut into
        s.device(port.device()).atIngress(false).wireLen(SegmentHeaders.wireLen(s));
        s.clearMetadata();
        long t0 = timed ? System.nanoTime() : 0;
        TcChain chain = port.tc(Hook.TC_EGRESS);
        int code = chain.isEmpty() ? TcAction.UNSPEC.code() : tc(port, Hook.TC_EGRESS, chain, s);
        if (timed) {
            latency.record(Hook.TC_EGRESS.ordinal(), System.nanoTime() - t0);
        }
        if (!chain.isEmpty()) {
            outcome.tcEgressVerdict = code;
        }
        switch (code) {
            case FAULTED -> {}
            case 2 -> outcome.end(Outcome.Fate.DROPPED, port, null);
            case 4, 5, 8 -> outcome.end(Outcome.Fate.CONSUMED, port, null);
            case 7 -> skbRedirect(port, s, false, timed);
            default -> {
                if (s.vlanPresent) {
                    VlanTags.insertHeld(s); // no port takes a tag beside the frame: it goes into the bytes
                }
                port.sink().transmit(port, s.bytes(), s.tunnel, s.gsoSize());
                outcome.end(Outcome.Fate.TRANSMITTED, port, null);
            }
        }
    }

    /** A fault in a tc program: the packet is gone already (counted in {@link #fault}). */
    private static final int FAULTED = Integer.MIN_VALUE;

    /**
     * Runs a tc hook's programs as sch_handle_ingress/egress do: tcx programs until one does not return
     * TCX_NEXT (only PASS, DROP and REDIRECT end the hook; anything else hands on), then the
     * direct-action classifiers (cls_bpf_exec_opcode keeps OK, SHOT, STOLEN, TRAP, REDIRECT and
     * RECLASSIFY; anything else is UNSPEC, on to the next filter; RECLASSIFY starts the filters again,
     * at most 16 times, then drops). Returns the final action code.
     */
    private int tc(Port port, Hook hook, TcChain chain, Skb s) {
        LoadedProgram current = null;
        int code = TcAction.UNSPEC.code();
        try {
            if (!chain.tcx().isEmpty()) {
                long r0 = TcAction.UNSPEC.code();
                java.util.List<LoadedProgram> tcx = chain.tcx();
                for (int i = 0; i < tcx.size(); i++) { // indexed: no iterator per packet
                    LoadedProgram p = tcx.get(i);
                    current = p;
                    r0 = run().runTc(p, s, hook);
                    if ((int) r0 != TcAction.UNSPEC.code()) {
                        break;
                    }
                }
                code = switch ((int) r0) {
                    case 0 -> {
                        s.tcIndex = s.tcClassid; // tcx_action_code: TCX_PASS copies the classid into tc_index
                        yield 0;
                    }
                    case 2, 7 -> (int) r0;
                    default -> TcAction.UNSPEC.code();
                };
            }
            if (code == TcAction.UNSPEC.code() && !chain.classifiers().isEmpty()) {
                code = classify(chain, s, hook);
            }
        } catch (ClassifyException e) {
            current = e.program;
            fault(port, hook, current, e.cause);
            return FAULTED;
        } catch (RuntimeException e) {
            fault(port, hook, current, e);
            return FAULTED;
        }
        counters.verdict(port, hook, code);
        return code;
    }

    private static final class ClassifyException extends RuntimeException {
        final transient LoadedProgram program;
        final RuntimeException cause;

        ClassifyException(LoadedProgram program, RuntimeException cause) {
            super(cause.getMessage(), null, false, false);
            this.program = program;
            this.cause = cause;
        }
    }

    private int classify(TcChain chain, Skb s, Hook hook) {
        for (int loop = 0; loop <= RECLASSIFY_LIMIT; loop++) {
            boolean again = false;
            for (TcChain.Classifier c : chain.classifiers()) {
                long r0;
                try {
                    r0 = run().runTc(c.program(), s, hook);
                } catch (RuntimeException e) {
                    throw new ClassifyException(c.program(), e);
                }
                int op = switch ((int) r0) {
                    case 0, 1, 2, 4, 7, 8 -> (int) r0;
                    default -> TcAction.UNSPEC.code();
                };
                if (op == TcAction.UNSPEC.code()) {
                    continue;
                }
                if (op == TcAction.RECLASSIFY.code()) {
                    again = true;
                    break;
                }
                return op;
            }
            if (!again) {
                return TcAction.UNSPEC.code();
            }
        }
        pipeline.warn("reclassify loop on " + hook + ": more than " + RECLASSIFY_LIMIT + " rounds, packet dropped");
        return TcAction.SHOT.code();
    }

    /** skb_do_redirect: act on bpf_redirect / redirect_peer / redirect_neigh, then forget it. */
    private void skbRedirect(Port from, Skb s, boolean atIngress, boolean timed) {
        RedirectInfo ri = run().redirect();
        int ifindex = ri.tgtIndex;
        long flags = ri.flags;
        byte[] nexthop = ri.nexthop;
        ri.tgtIndex = 0;
        ri.flags = 0;
        ri.nexthop = null;
        Port target = pipeline.port(ifindex);
        if (target == null) {
            outcome.end(Outcome.Fate.DROPPED, from, "tc redirect to ifindex " + ifindex + ", which is no port");
            return;
        }
        if (++depth > RECURSION_LIMIT) {
            outcome.end(Outcome.Fate.DROPPED, from, "redirect loop: more than " + RECURSION_LIMIT + " nested redirects");
            return;
        }
        if ((flags & RedirectInfo.F_PEER) != 0) {
            Port peer = atIngress ? pipeline.port(target.device().peer()) : null;
            if (peer == null) {
                outcome.end(Outcome.Fate.DROPPED, from, atIngress ? target.name() + " has no peer (bpf_redirect_peer needs a veth/netkit pair)"
                        : "bpf_redirect_peer works only from tc ingress");
                return;
            }
            arrive(peer, s, timed);
        } else if ((flags & RedirectInfo.F_NEIGH) != 0) {
            if (!resolveNeighbour(target, s, nexthop)) {
                outcome.end(Outcome.Fate.DROPPED, from, "bpf_redirect_neigh: no neighbour on " + target.name());
                return;
            }
            egress(target, s, timed);
        } else if ((flags & RedirectInfo.F_INGRESS) != 0) {
            arrive(target, s, timed);
        } else {
            egress(target, s, timed);
        }
    }

    /** The packet arrives at {@code port} (dev_forward_skb, or a peer's receive): eth_type_trans there, tc ingress. */
    private void arrive(Port port, Skb s, boolean timed) {
        ProgTestRun.ethTypeTrans(s, port.device());
        s.ingressIfindex(port.ifindex());
        ingress(port, s, timed);
    }

    /** The L2 header bpf_redirect_neigh fills in: the neighbour's address (next hop or the packet's destination), the port's. */
    private boolean resolveNeighbour(Port out, Skb s, byte[] nexthop) {
        byte[] address;
        if (nexthop != null) {
            int family = MemorySegment.ofArray(nexthop).get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0);
            address = Arrays.copyOfRange(nexthop, 4, family == FibLookupHelper.AF_INET6 ? 20 : 8);
        } else if (s.protocol == SkbShapeHelpers.ETH_P_IP && s.length() >= 34) {
            address = s.bytes().asSlice(30, 4).toArray(ValueLayout.JAVA_BYTE);
        } else if (s.protocol == SkbShapeHelpers.ETH_P_IPV6 && s.length() >= 54) {
            address = s.bytes().asSlice(38, 16).toArray(ValueLayout.JAVA_BYTE);
        } else {
            return false;
        }
        byte[] mac = pipeline.routes().neighbour(out.ifindex(), address);
        if (mac == null) {
            return false;
        }
        MemorySegment b = s.bytes();
        MemorySegment.copy(MemorySegment.ofArray(mac), 0, b, 0, 6);
        MemorySegment.copy(MemorySegment.ofArray(out.device().mac()), 0, b, 6, 6);
        return true;
    }

    // ---- Network: what the helpers of this worker's programs reach

    @Override
    public Device device(int ifindex) {
        Port p = pipeline.port(ifindex);
        return p == null ? null : p.device();
    }

    @Override
    public RouteTable routes() {
        return pipeline.routes();
    }

    /**
     * bpf_clone_redirect: the copy goes its way now, nested in this packet's processing (its outcome is
     * counted on its own port, not reported as this packet's).
     */
    @Override
    public int cloneRedirect(Skb clone, Device target, boolean ingress) {
        Port port = pipeline.port(target.ifindex());
        if (port == null) {
            return -22;
        }
        if (depth >= RECURSION_LIMIT) {
            return -116; // ENETDOWN: the kernel's dev_xmit_recursion answer
        }
        // the clone's journey must not overwrite this packet's skb or outcome
        Outcome saved = new Outcome();
        copyOutcome(outcome, saved);
        depth++;
        nest++;
        try {
            outcome.reset(port);
            if (ingress) {
                arrive(port, clone, false);
            } else {
                egress(port, clone, false);
            }
            counters.fate(port, outcome.fate);
        } finally {
            nest--;
            depth--;
            copyOutcome(saved, outcome);
        }
        return 0;
    }

    private static void copyOutcome(Outcome from, Outcome to) {
        to.fate = from.fate;
        to.port = from.port;
        to.deliveries = from.deliveries;
        to.xdpVerdict = from.xdpVerdict;
        to.tcIngressVerdict = from.tcIngressVerdict;
        to.tcEgressVerdict = from.tcEgressVerdict;
        to.reason = from.reason;
        to.fault = from.fault;
        to.cpu = from.cpu;
    }

}
