package dev.jxdp.diff;

import dev.jxdp.exec.Engine;
import dev.jxdp.kernel.CpuPin;
import dev.jxdp.obj.MapSpec;
import dev.jxdp.obj.ObjectSpec;
import dev.jxdp.obj.ProgramSpec;
import dev.jxdp.obj.ProgramType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The kernel differential runner: one program of an object, loaded once in jxdp ({@link JxdpSide})
 * and once in the kernel ({@link KernelSide}), both maps started from the same entries, every packet
 * run in order through BPF_PROG_TEST_RUN on both with the state carried from packet to packet, and
 * compared per packet (the outcome or errno, retval, data_out, ctx_out) and, after the last, every
 * map whose values are bytes. Both sides run on CPU 0. What is done about clocks and random numbers
 * is {@link Nondeterminism}'s.
 *
 * <p>Each packet gets a context, so that ctx_out is compared too: XDP an xdp_md with the frame's
 * length (at most the 3520 linear bytes; the rest becomes fragments), ingress on lo (ifindex 1),
 * queue 0; tc an __sk_buff of zeros (the kernel's defaults).
 *
 * <p>A program that reads the clock and shows a difference is run again, up to {@link #CLOCK_ATTEMPTS}
 * times in all, and the report says so.
 *
 * <p>A map difference found after the run is located by a second run that compares the maps after
 * every packet; if that run does not show it again, the report names the last packet and says so.
 */
public final class DiffRunner {
    private DiffRunner() {}

    /**
     * Runs of a program that reads the clock: a value computed from a time in units finer than the
     * microseconds between the two sides' clock reads (an RTP timestamp at 90 kHz) can differ by a
     * tick. Such a program passes if one of this many runs, each from a fresh load, shows no
     * difference; a difference of any other cause shows in every run.
     */
    private static final int CLOCK_ATTEMPTS = 5;

    /** xdp_md is 24 bytes, __sk_buff 192 (include/uapi/linux/bpf.h). */
    private static final int XDP_MD = 24;
    private static final int SK_BUFF = 192;
    /** The most linear bytes a test run's XDP frame holds: a page less headroom and skb_shared_info. */
    private static final int XDP_MAX_LINEAR = 4096 - 256 - 320;

    /**
     * What to run.
     *
     * @param objectFile the ELF object (the kernel side loads it by path)
     * @param spec the object as jxdp read it
     * @param program the program's name
     * @param packets the frames, in order
     * @param initialMaps entries to put in maps (by name) before the first packet
     * @param engine jxdp's engine (JIT or interpreter)
     * @param loadallArgs extra words for {@code bpftool prog loadall} ({@code type xdp})
     */
    public record Request(Path objectFile, ObjectSpec spec, String program, List<byte[]> packets, Map<String, List<MapEntry>> initialMaps,
            Engine engine, List<String> loadallArgs) {
        public Request {
            packets = List.copyOf(packets);
            initialMaps = Map.copyOf(initialMaps);
            loadallArgs = List.copyOf(loadallArgs);
        }
    }

    /** Why the kernel cannot run the comparison on this machine, or null if it can. */
    public static String unavailableReason() {
        return KernelSide.unavailableReason();
    }

    public static DiffReport run(Request request) throws IOException {
        ProgramSpec chosen = request.spec().programs().stream().filter(p -> p.name().equals(request.program())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no program '" + request.program() + "' in " + request.objectFile()));
        if (chosen.type() != ProgramType.XDP && chosen.type() != ProgramType.SCHED_CLS && chosen.type() != ProgramType.SCHED_ACT) {
            throw new IllegalArgumentException(chosen.name() + " is a " + chosen.type().name().toLowerCase()
                    + " program: jxdp diff runs XDP and tc programs");
        }
        for (String map : request.initialMaps().keySet()) {
            resolve(request.spec(), map);
        }
        String reason = unavailableReason();
        if (reason != null) {
            throw new IllegalStateException("the kernel cannot run the comparison here: " + reason);
        }
        ProgramContext context = new ProgramContext(request.spec(), chosen);
        Nondeterminism nd = Nondeterminism.of(request.spec().programs().stream().map(p -> new ProgramContext(request.spec(), p)).toList());
        Pass first = pass(request, chosen, context, nd, false);
        List<String> retries = new ArrayList<>();
        for (int attempt = 2; attempt <= CLOCK_ATTEMPTS && nd.clocks() && first.difference != null; attempt++) {
            Difference seen = first.difference;
            first = pass(request, chosen, context, nd, false);
            retries.add("run " + (attempt - 1) + " differed at packet " + seen.packet() + " (" + seen.field() + ") and the program"
                    + " reads the clock, so it ran again (" + attempt + " of at most " + CLOCK_ATTEMPTS + ")");
        }
        if (first.mapOnly && first.difference != null) {
            Pass locate = pass(request, chosen, context, nd, true);
            if (locate.difference != null && locate.difference.field().equals(first.difference.field())) {
                first.difference = locate.difference;
            } else {
                first.notes.add("a second run comparing the maps after every packet did not show the difference again");
            }
        }
        List<String> notes = new ArrayList<>(nd.notes(first.tolerated.timestamps));
        if (first.tolerated.paddingBytes > 0) {
            notes.add(first.tolerated.paddingBytes + " differing map value byte(s) were struct padding (per BTF) and not compared:"
                    + " the kernel's stack leaves its own bytes there, jxdp's starts zeroed");
        }
        notes.addAll(retries);
        notes.addAll(first.notes);
        return new DiffReport(chosen.name(), request.packets().size(), first.compared, first.differing,
                Optional.ofNullable(first.difference), notes);
    }

    /** The state of one pass over the packets. */
    private static final class Pass {
        Difference difference;
        boolean mapOnly;
        int compared;
        int differing;
        final MapSnapshot.Tolerance tolerated = new MapSnapshot.Tolerance();
        final List<String> notes = new ArrayList<>();
    }

    private static Pass pass(Request request, ProgramSpec chosen, ProgramContext context, Nondeterminism nd, boolean mapsEveryPacket)
            throws IOException {
        Pass pass = new Pass();
        List<MapSpec> compared = request.spec().maps().stream().filter(m -> MapSnapshot.comparable(m.type())).toList();
        try (CpuPin pin = CpuPin.to(0);
                KernelSide kernel = KernelSide.load(request.objectFile(), request.spec(), chosen, request.loadallArgs());
                JxdpSide jxdp = new JxdpSide(request.spec(), chosen, request.engine())) {
            for (Map.Entry<String, List<MapEntry>> m : request.initialMaps().entrySet()) {
                String name = resolve(request.spec(), m.getKey()).name();
                for (MapEntry e : m.getValue()) {
                    kernel.put(name, e);
                    jxdp.put(name, e);
                }
            }
            ClockWindow window = ClockWindow.start();
            List<MapSnapshot> kernelBefore = null;
            List<MapSnapshot> jxdpBefore = null;
            int packet = 0;
            for (byte[] frame : request.packets()) {
                packet++;
                if (nd.random()) {
                    kernelBefore = kernel.snapshot();
                    jxdpBefore = jxdp.snapshot();
                }
                byte[] ctx = context(chosen.type(), frame.length);
                jxdp.tickClock();
                RunOutcome k = kernel.run(frame, ctx);
                long draws = jxdp.randomDraws();
                RunOutcome j = jxdp.run(frame, ctx);
                if (jxdp.randomDraws() > draws) {
                    pass.notes.add("packet " + packet + " drew a random number (bpf_get_prandom_u32), which the kernel cannot be made to"
                            + " repeat: packets " + packet + " to " + request.packets().size() + " were not compared, and the maps are"
                            + " compared as they were before packet " + packet);
                    mapDifference(pass, compared, context, jxdpBefore, kernelBefore, window.end(), packet - 1);
                    return pass;
                }
                pass.compared++;
                Difference d = compare(packet, chosen, context, j, k);
                if (d != null) {
                    pass.differing++;
                    if (pass.difference == null) {
                        pass.difference = d;
                    }
                }
                if (mapsEveryPacket && pass.difference == null) {
                    mapDifference(pass, compared, context, jxdp.snapshot(), kernel.snapshot(), window.end(), packet);
                    if (pass.difference != null) {
                        return pass;
                    }
                }
            }
            boolean before = pass.difference != null;
            mapDifference(pass, compared, context, jxdp.snapshot(), kernel.snapshot(), window.end(), packet);
            pass.mapOnly = !before && pass.difference != null;
        }
        return pass;
    }

    private static void mapDifference(Pass pass, List<MapSpec> maps, ProgramContext context, List<MapSnapshot> jxdp,
            List<MapSnapshot> kernel, ClockWindow window, int afterPacket) {
        for (int i = 0; i < maps.size(); i++) {
            MapSpec m = maps.get(i);
            pass.tolerated.forMap(Padding.of(context.object(), m), m.type() == dev.jxdp.obj.MapType.PERCPU_ARRAY
                    || m.type() == dev.jxdp.obj.MapType.PERCPU_HASH || m.type() == dev.jxdp.obj.MapType.LRU_PERCPU_HASH
                    ? (m.valueSize() + 7) & ~7 : Math.max(1, m.valueSize()));
            Optional<String[]> d = jxdp.get(i).firstDifference(kernel.get(i), window, pass.tolerated);
            if (d.isPresent()) {
                pass.differing++;
                if (pass.difference == null) {
                    pass.difference = new Difference(afterPacket, "map " + maps.get(i).name(), d.get()[0], d.get()[1],
                            context.mapSites(i));
                }
                return;
            }
        }
    }

    private static Difference compare(int packet, ProgramSpec p, ProgramContext context, RunOutcome jxdp, RunOutcome kernel) {
        if (!(jxdp instanceof RunOutcome.Ran j) || !(kernel instanceof RunOutcome.Ran k)) {
            if (jxdp.equals(kernel)) {
                return null;
            }
            return new Difference(packet, "outcome", jxdp.describe(), kernel.describe(), List.of());
        }
        if (j.retval() != k.retval()) {
            List<String> where = new ArrayList<>(context.returnSites(j.retval()));
            where.addAll(context.returnSites(k.retval()));
            return new Difference(packet, "retval", Verdicts.describe(p.type(), j.retval()), Verdicts.describe(p.type(), k.retval()), where);
        }
        if (!Arrays.equals(j.dataOut(), k.dataOut())) {
            Difference d = bytes(packet, "data_out", j.dataOut(), k.dataOut());
            int at = Arrays.mismatch(j.dataOut(), k.dataOut());
            List<String> where = new ArrayList<>(d.context());
            if (j.dataOut().length == k.dataOut().length) {
                where.set(0, where.getFirst() + ": " + PacketFields.at(k.dataOut(), at) + " (as the kernel's frame reads; an XDP"
                        + " frame with metadata starts with it)");
            }
            return new Difference(packet, "data_out", d.jxdp(), d.kernel(), where);
        }
        if (!Arrays.equals(j.ctxOut(), k.ctxOut())) {
            return bytes(packet, "ctx_out", j.ctxOut(), k.ctxOut());
        }
        return null;
    }

    private static Difference bytes(int packet, String field, byte[] jxdp, byte[] kernel) {
        int at = Arrays.mismatch(jxdp, kernel);
        int from = Math.max(0, at - 8);
        return new Difference(packet, field, jxdp.length + " bytes, from byte " + from + ": " + window(jxdp, from),
                kernel.length + " bytes, from byte " + from + ": " + window(kernel, from), List.of("first difference at byte " + at));
    }

    private static String window(byte[] b, int from) {
        return from >= b.length ? "(ends)" : HexFormat.ofDelimiter(" ").formatHex(b, from, Math.min(b.length, from + 24));
    }

    static byte[] context(ProgramType type, int frameLength) {
        if (type == ProgramType.XDP) {
            return ByteBuffer.allocate(XDP_MD).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 0).putInt(4, Math.min(frameLength, XDP_MAX_LINEAR))
                    .putInt(12, 1).array();
        }
        return new byte[SK_BUFF];
    }

    /** A map by the names users give it: the object's, the kernel's (15 bytes), or bpftool's pin name. */
    public static MapSpec resolve(ObjectSpec spec, String name) {
        for (MapSpec m : spec.maps()) {
            if (m.name().equals(name) || m.kernelName().equals(name) || m.kernelName().replace('.', '_').equals(name)) {
                if (!MapSnapshot.comparable(m.type())) {
                    throw new IllegalArgumentException("map '" + name + "' is a " + m.type().name().toLowerCase()
                            + ", whose entries are kernel objects or a stream: it keeps the object's initial state");
                }
                return m;
            }
        }
        throw new IllegalArgumentException("no map '" + name + "' in the object (maps: "
                + String.join(", ", spec.maps().stream().map(MapSpec::name).toList()) + ")");
    }
}
