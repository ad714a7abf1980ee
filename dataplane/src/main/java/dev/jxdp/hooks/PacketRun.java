package dev.jxdp.hooks;

import dev.jxdp.exec.HelperContext;
import dev.jxdp.exec.Invocation;
import dev.jxdp.exec.MemoryFault;
import dev.jxdp.exec.MemoryMap;
import dev.jxdp.exec.MemorySource;
import dev.jxdp.exec.Permission;
import dev.jxdp.exec.Region;
import dev.jxdp.exec.RegionKind;
import dev.jxdp.load.LoadedObject;
import dev.jxdp.load.LoadedProgram;
import dev.jxdp.load.ProgramRun;
import dev.jxdp.obj.AttachType;
import dev.jxdp.obj.ProgramType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * One worker's state for running packet programs: the context structures (xdp_md, __sk_buff) as
 * regions whose fields follow the current frame or skb, the packet regions, the redirect state, and
 * the {@link Network} the helpers reach. It is what the hooks attach to each program run
 * ({@link ProgramRun#hook()}), so that the packet helpers find the frame they work on.
 *
 * <p>Reused for every packet of its worker: the context regions stay put, and per object and packet
 * buffer a base memory map (the object's global data, the contexts, that buffer's packet regions) is
 * kept, whose packet regions change only when the bounds do. A helper that moves the packet's bounds
 * calls {@link #boundsChanged}, which replaces the packet regions in the base map (which a tail-called
 * program's run starts from) and in the running program's own map.
 *
 * <p>It is the runs' {@link MemorySource}: the base map is found (or made) when an engine first asks for
 * it during a run, so a JIT-compiled program whose accesses are all proven and that calls no helper
 * needing the region table (xdp_drop, most filters) never pays for the lookup. Not thread-safe: one
 * per worker.
 */
public final class PacketRun implements MemorySource {
    private final int worker;
    private final Network network;
    private final Arena arena = Arena.ofAuto();
    private final RedirectInfo redirect = new RedirectInfo();

    private final XdpContext xdpContext = new XdpContext(XdpMdRules.DEVICE);
    private final XdpContext devmapContext = new XdpContext(XdpMdRules.DEVMAP);
    private final SkbContext skbContext = new SkbContext(SkBuffRules.TC);
    private final Region xdpRegion;
    private final Region devmapRegion;
    private final Region skbRegion;

    /**
     * Per object, its memory maps by packet buffer (see {@link Bases}): a worker runs the programs of a
     * few objects (XDP's and tc's alternate per packet), scanned in a small array.
     */
    private Bases[] bases = new Bases[4];
    private int objects;
    /** The map the running program started from: its object's regions, the contexts, this buffer's packet regions. */
    private MemoryMap base;
    /** The entry {@link #base} belongs to (its packet regions and the bounds they were made for). */
    private Base current;
    /** The object of the program running now, whose base map {@link #memory()} finds. */
    private LoadedObject runningObject;
    /** Whether {@link #base} is the running program's already (asked for during this run). */
    private boolean prepared;

    private XdpBuff xdp;
    private Skb skb;
    private Hook hook;
    /**
     * The runners of the programs this worker ran lately (its hooks' few), scanned by identity: a run
     * finds its program's state for this thread here, not in a ThreadLocal (see {@link #runner}).
     */
    private final LoadedProgram.Runner[] runners = new LoadedProgram.Runner[RUNNERS];
    private int runnerCount;
    /** Where the next runner goes once all slots are taken (round robin). */
    private int nextRunner;
    private static final int RUNNERS = 16;

    public PacketRun(int worker, Network network) {
        this.worker = worker;
        this.network = Objects.requireNonNull(network);
        this.xdpRegion = context("xdp_md", XdpMdField.STRUCT_SIZE, xdpContext);
        this.devmapRegion = context("xdp_md", XdpMdField.STRUCT_SIZE, devmapContext);
        this.skbRegion = context("__sk_buff", SkBuffField.STRUCT_SIZE, skbContext);
    }

    private Region context(String name, int size, dev.jxdp.exec.RegionHandler handler) {
        // Reserved memory of the struct's size, so that no other region can ever sit at its addresses.
        MemorySegment reserved = arena.allocate(size, 8);
        return new Region.Handled(name, RegionKind.CONTEXT, reserved.address(), size, Permission.READ_WRITE, handler);
    }

    /** The run of the program a packet helper is called from. */
    public static PacketRun of(HelperContext ctx) {
        if (ProgramRun.of(ctx).hook() instanceof PacketRun r) {
            return r;
        }
        throw new MemoryFault("this helper needs a packet: run the program at an XDP or tc hook (dev.jxdp.hooks)");
    }

    public int worker() {
        return worker;
    }

    public Network network() {
        return network;
    }

    /** Whether {@code address} is the running program's context (xdp_md or __sk_buff). */
    boolean isContext(long address) {
        return hook == Hook.XDP ? address == xdpRegion.address() || address == devmapRegion.address() : address == skbRegion.address();
    }

    /** The redirect state the redirect helpers fill. */
    public RedirectInfo redirect() {
        return redirect;
    }

    /** Which hook the running program is at. */
    public Hook hook() {
        return hook;
    }

    /** The frame of the running XDP program, or null at tc. */
    public XdpBuff xdp() {
        return xdp;
    }

    /** The skb of the running tc program, or null at XDP. */
    public Skb skb() {
        return skb;
    }

    // ---- running

    /**
     * Runs an XDP program on {@code frame}: r1 is the xdp_md; returns r0.
     *
     * @throws dev.jxdp.exec.ExecutionException if the program faults
     */
    public long runXdp(LoadedProgram program, XdpBuff frame) {
        requireType(program, ProgramType.XDP);
        boolean devmap = program.spec().expectedAttachType() == AttachType.XDP_DEVMAP;
        XdpContext ctx = devmap ? devmapContext : xdpContext;
        // A worker runs every frame in the same XdpBuff: these are mostly what they were (see setXdp)
        ctx.frame(frame);
        setXdp(frame);
        Region ctxRegion = devmap ? devmapRegion : xdpRegion;
        starting(program);
        return runner(program).run(new Invocation(ctxRegion.address(), 0, 0, 0, 0, this, null, Invocation.DEFAULT_BUDGET, worker, this, ctx));
    }

    /**
     * Runs a tc program on {@code packet} at {@code at} (TC_INGRESS or TC_EGRESS): r1 is the
     * __sk_buff; LD_ABS and LD_IND read the packet as it is when the program starts (a program without
     * them gets no segment of it: one per packet would be garbage); returns r0.
     */
    public long runTc(LoadedProgram program, Skb packet, Hook at) {
        if (program.type() != ProgramType.SCHED_CLS && program.type() != ProgramType.SCHED_ACT) {
            throw new IllegalArgumentException(program + " is no tc program");
        }
        skbContext.skb(packet);
        setSkb(packet, at);
        starting(program);
        MemorySegment bytes = program.readsPacket() ? packet.bytes() : null;
        return runner(program).run(new Invocation(skbRegion.address(), 0, 0, 0, 0, this, bytes, Invocation.DEFAULT_BUDGET, worker, this,
                skbContext));
    }

    /*
     * The frame or skb of the run and its hook, each reference written only when it changes: a worker
     * runs its frames in one XdpBuff and its skbs in one Skb, and a reference store costs G1's write
     * barriers, per packet.
     */

    private void setXdp(XdpBuff frame) {
        if (xdp != frame) {
            xdp = frame;
        }
        if (skb != null) {
            skb = null;
        }
        if (hook != Hook.XDP) {
            hook = Hook.XDP;
        }
    }

    private void setSkb(Skb packet, Hook at) {
        if (skb != packet) {
            skb = packet;
        }
        if (xdp != null) {
            xdp = null;
        }
        if (hook != at) {
            hook = at;
        }
    }

    /**
     * {@code program}'s runner for this thread, made on its first run here. A run state is one
     * thread's, and a PacketRun one worker's; should another thread use this PacketRun, the runner
     * sees it and runs as {@link LoadedProgram#run} does. Past {@link #RUNNERS} programs (programs
     * attached and replaced while running) a new one takes the slots in turn, so at most that many
     * replaced ones are kept alive, and a worker cycling through more programs than that pays a
     * runner per miss, not a lookup per run.
     */
    private LoadedProgram.Runner runner(LoadedProgram program) {
        LoadedProgram.Runner[] rs = runners;
        for (int i = 0; i < runnerCount; i++) {
            if (rs[i].program() == program) {
                return rs[i];
            }
        }
        return newRunner(program);
    }

    private LoadedProgram.Runner newRunner(LoadedProgram program) {
        LoadedProgram.Runner r = program.runner();
        if (runnerCount < RUNNERS) {
            runners[runnerCount++] = r;
        } else {
            runners[nextRunner] = r;
            nextRunner = (nextRunner + 1) % RUNNERS;
        }
        return r;
    }

    private static void requireType(LoadedProgram p, ProgramType t) {
        if (p.type() != t) {
            throw new IllegalArgumentException(p + " is no " + t.bpftoolName() + " program");
        }
    }

    /**
     * One object's base maps, one per packet buffer: a NIC's frames come from a pool of buffers, each
     * frame in another one, and moving the packet regions of a single map from buffer to buffer cost a
     * region table's removals and insertions per frame. With a map per buffer, a buffer that comes back
     * with the bounds of its last run (a generator's or a NIC's frame, at the headroom, of its length)
     * finds its packet regions in place. The maps hold exactly what the single one held, so no run sees
     * more or less memory. Bounded: past {@link #LIMIT} buffers (not a pool, then) it starts afresh.
     *
     * <p>The buffers are found by identity in an open-addressing table hashed by the buffer's address
     * (buffers of a pool lie apart): cheaper per frame than an IdentityHashMap, which was the largest
     * item of a worker's profile once the region table moves were gone.
     */
    private static final class Bases {
        static final int LIMIT = 4096;
        final LoadedObject object;
        private MemorySegment[] keys = new MemorySegment[64];
        private Base[] values = new Base[64];
        private int size;

        Bases(LoadedObject object) {
            this.object = object;
        }

        Base get(MemorySegment buffer) {
            int mask = keys.length - 1;
            for (int i = slot(buffer, mask); ; i = (i + 1) & mask) {
                MemorySegment k = keys[i];
                if (k == buffer) {
                    return values[i];
                }
                if (k == null) {
                    return null;
                }
            }
        }

        void put(MemorySegment buffer, Base base) {
            if (size >= LIMIT) {
                keys = new MemorySegment[64];
                values = new Base[64];
                size = 0;
            } else if (2 * (size + 1) > keys.length) {
                MemorySegment[] oldKeys = keys;
                Base[] oldValues = values;
                keys = new MemorySegment[2 * oldKeys.length];
                values = new Base[2 * oldKeys.length];
                for (int i = 0; i < oldKeys.length; i++) {
                    if (oldKeys[i] != null) {
                        insert(oldKeys[i], oldValues[i]);
                    }
                }
            }
            insert(buffer, base);
            size++;
        }

        private void insert(MemorySegment buffer, Base base) {
            int mask = keys.length - 1;
            int i = slot(buffer, mask);
            while (keys[i] != null) {
                i = (i + 1) & mask;
            }
            keys[i] = buffer;
            values[i] = base;
        }

        private static int slot(MemorySegment buffer, int mask) {
            long a = buffer.address();
            return (int) ((a ^ a >>> 17) * 0x9E37_79B9_7F4A_7C15L >>> 40) & mask;
        }
    }

    /** A base map for one buffer, with the packet regions it holds and the bounds they were made for. */
    private static final class Base {
        final LoadedObject object;
        final MemorySegment buffer;
        final MemoryMap map;
        Region meta;
        Region packet;
        long metaAddress;
        long dataAddress;
        long endAddress;

        Base(LoadedObject object, MemorySegment buffer, MemoryMap map) {
            this.object = object;
            this.buffer = buffer;
            this.map = map;
        }

        boolean holds(long metaAt, long dataAt, long endAt) {
            return metaAt == metaAddress && dataAt == dataAddress && endAt == endAddress;
        }
    }

    private void starting(LoadedProgram program) {
        if (runningObject != program.object()) {
            runningObject = program.object();
        }
        prepared = false;
    }

    /**
     * The running program's base map: its object's regions, the contexts and the current packet
     * regions, found the first time an engine asks during a run (the same map for the rest of it).
     */
    @Override
    public MemoryMap memory() {
        if (!prepared) {
            prepare(runningObject);
            prepared = true;
        }
        return base;
    }

    private void prepare(LoadedObject object) {
        MemorySegment buffer = xdp != null ? xdp.buffer() : skb.head();
        long metaAt = metaAddress();
        long dataAt = dataAddress();
        long endAt = endAddress();
        Base last = current;
        if (last != null && last.object == object && last.buffer == buffer && last.holds(metaAt, dataAt, endAt)) {
            return; // the same object on the same buffer, unmoved, as the last run (a test run's repeats): no table lookup
        }
        Bases b = null;
        for (int i = 0; i < objects; i++) {
            if (bases[i].object == object) {
                b = bases[i];
                break;
            }
        }
        if (b == null) {
            b = new Bases(object);
            if (objects == bases.length) {
                bases = java.util.Arrays.copyOf(bases, 2 * objects);
            }
            bases[objects++] = b;
        }
        Base e = b.get(buffer);
        if (e == null) {
            e = new Base(object, buffer, object.memory().add(xdpRegion).add(devmapRegion).add(skbRegion));
            b.put(buffer, e);
            install(e, metaAt, dataAt, endAt);
        } else if (!e.holds(metaAt, dataAt, endAt)) {
            remove(e.map, e.meta, e.packet);
            install(e, metaAt, dataAt, endAt);
        }
        base = e.map;
        current = e;
    }

    // The running frame's (or skb's) bounds.

    private long metaAddress() {
        return xdp != null ? xdp.dataMetaAddress() : skb.dataMetaAddress();
    }

    private long dataAddress() {
        return xdp != null ? xdp.dataAddress() : skb.dataAddress();
    }

    private long endAddress() {
        return xdp != null ? xdp.dataEndAddress() : skb.dataEndAddress();
    }

    /** Makes the current frame's packet regions and puts them into {@code e}'s map. */
    private void install(Base e, long metaAt, long dataAt, long endAt) {
        MemorySegment meta = xdp != null ? xdp.metadata() : skb.metadata();
        MemorySegment data = xdp != null ? xdp.linear() : skb.bytes();
        e.meta = meta.byteSize() > 0 ? new Region.Mem("packet metadata", RegionKind.PACKET, meta, Permission.READ_WRITE) : null;
        e.packet = data.byteSize() > 0 ? new Region.Mem("packet", RegionKind.PACKET, data, Permission.READ_WRITE) : null;
        e.metaAddress = metaAt;
        e.dataAddress = dataAt;
        e.endAddress = endAt;
        add(e.map, e.meta, e.packet);
    }

    /**
     * The packet's bounds moved (adjust_head/meta/tail, an skb helper): the packet regions of the
     * base map and of the running program's map become the new ones.
     */
    public void boundsChanged(HelperContext ctx) {
        if (!prepared) {
            return; // no map of this run holds packet regions yet: the first one made will have the new bounds
        }
        MemoryMap running = ctx.memory();
        Base e = current;
        Region oldMeta = e.meta;
        Region oldPacket = e.packet;
        remove(e.map, oldMeta, oldPacket);
        install(e, metaAddress(), dataAddress(), endAddress());
        if (running != e.map) {
            remove(running, oldMeta, oldPacket);
            add(running, e.meta, e.packet);
        }
    }

    private static void remove(MemoryMap m, Region meta, Region packet) {
        if (meta != null) {
            m.remove(meta);
        }
        if (packet != null) {
            m.remove(packet);
        }
    }

    private static void add(MemoryMap m, Region meta, Region packet) {
        if (meta != null) {
            m.add(meta);
        }
        if (packet != null) {
            m.add(packet);
        }
    }
}
