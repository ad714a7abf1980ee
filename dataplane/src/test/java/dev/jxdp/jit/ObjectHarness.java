package dev.jxdp.jit;

import dev.jxdp.exec.Helpers;
import dev.jxdp.exec.Permission;
import dev.jxdp.exec.Region;
import dev.jxdp.exec.RegionKind;
import dev.jxdp.isa.Bytecode;
import dev.jxdp.isa.Call;
import dev.jxdp.isa.CallKind;
import dev.jxdp.isa.Instruction;
import dev.jxdp.isa.LoadImm64;
import dev.jxdp.isa.PseudoSource;
import dev.jxdp.obj.LoadOptions;
import dev.jxdp.obj.MapContents;
import dev.jxdp.obj.MapSpec;
import dev.jxdp.obj.ObjectLoader;
import dev.jxdp.obj.ObjectSpec;
import dev.jxdp.obj.ProgramSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Programs of programs/bin ready to run in an engine test, until maps and the hooks exist: the object
 * loader links them; references to global data (.rodata/.data/.bss) become the addresses of regions
 * holding the map's initial bytes, references to other maps become fake constants (there are no
 * maps yet; the stub helpers never look at them), and the context is the hooks' own xdp_md or
 * __sk_buff over the frame. Not the runtime: no map semantics.
 */
final class ObjectHarness {
    /** Fake map handles: tagged like function addresses so that they are never valid pointers. */
    static final long FAKE_MAP = 0x3a90_0000_0000_0000L;

    /** A data map the program refers to, and its initial bytes. */
    record Data(String name, byte[] initial, boolean writable) {}

    /** One linked program and the global data it needs. */
    record Linked(String object, ProgramSpec program, List<MapSpec> maps, Map<String, Data> data) {
        String section() {
            return program.section();
        }

        Bytecode code() {
            return program.code();
        }

        /** The helper ids the program calls. */
        List<Integer> helperIds() {
            TreeSet<Integer> ids = new TreeSet<>();
            program.code().forEach((insn, pc) -> {
                if (insn instanceof Call(CallKind kind, int imm) && kind == CallKind.HELPER) {
                    ids.add(imm);
                }
            });
            return List.copyOf(ids);
        }

        @Override
        public String toString() {
            return object + ":" + program.section() + "/" + program.name();
        }
    }

    private ObjectHarness() {}

    /** Every program of an object, linked by the loader. */
    static List<Linked> programs(Path object) {
        ObjectSpec spec;
        try {
            spec = ObjectLoader.load(object, LoadOptions.defaults());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Data> data = new LinkedHashMap<>();
        for (MapSpec m : spec.maps()) {
            if (m.contents() instanceof MapContents.Data d) {
                data.put(m.name(), new Data(m.name(), d.bytes(), !d.frozen()));
            }
        }
        List<Linked> out = new ArrayList<>();
        for (ProgramSpec p : spec.programs()) {
            out.add(new Linked(object.getFileName().toString(), p, spec.maps(), data));
        }
        return out;
    }

    /** One program of an object by name. */
    static Linked program(Path object, String name) {
        return programs(object).stream().filter(l -> l.program().name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no program " + name + " in " + object));
    }

    /** The regions of one linked program in one arena: its data maps, with their addresses patched into the code. */
    record Instance(Bytecode code, List<Region> regions, Map<String, MemorySegment> segments) {

        static Instance of(Linked p, Arena arena) {
            Map<String, MemorySegment> segments = new LinkedHashMap<>();
            List<Region> regions = new ArrayList<>();
            for (Data d : p.data().values()) {
                MemorySegment s = arena.allocate(Math.max(1, d.initial().length), 8).asSlice(0, d.initial().length);
                s.copyFrom(MemorySegment.ofArray(d.initial()));
                segments.put(d.name(), s);
                if (d.initial().length > 0) {
                    regions.add(new Region.Mem(d.name(), RegionKind.OTHER, s,
                            d.writable() ? Permission.READ_WRITE : Permission.READ_ONLY));
                }
            }
            List<Instruction> list = new ArrayList<>();
            p.code().forEach((insn, pc) -> list.add(switch (insn) {
                // The loader's shapes (ProgramSpec): imm is the map's index in the object.
                case LoadImm64 l when l.source() == PseudoSource.MAP_VALUE ->
                        LoadImm64.of(l.dst(), segments.get(p.maps().get(l.imm()).name()).address() + Integer.toUnsignedLong(l.nextImm()));
                case LoadImm64 l when l.source() == PseudoSource.MAP_FD -> LoadImm64.of(l.dst(), FAKE_MAP | l.imm());
                default -> insn;
            }));
            return new Instance(Bytecode.of(list).checkTargets(), regions, segments);
        }

        void reset(Linked p) {
            p.data().forEach((name, d) -> segments.get(name).copyFrom(MemorySegment.ofArray(d.initial())));
        }
    }

    /**
     * Stub helpers: each returns a fixed value of its arguments' choosing (0 for map lookups, so
     * programs take their "not found" paths), the same in both engines. They record nothing.
     */
    static Helpers stubHelpers(List<Integer> ids) {
        Helpers h = Helpers.none();
        for (int id : ids) {
            if (id == Helpers.TAIL_CALL) {
                continue; // left unregistered: both engines report that tail calls need maps
            }
            h = h.with(id, "stub" + id, (ctx, a, b, c, d, e) -> 0);
        }
        return h;
    }

    /** Bytes before a frame in its buffer: XDP_PACKET_HEADROOM. */
    static final int HEADROOM = dev.jxdp.hooks.XdpBuff.PACKET_HEADROOM;

    /**
     * A buffer for frames of up to {@code maxFrame} bytes with the headroom and shared-info tail the
     * hooks' frames have; {@link #frame} places a frame in it.
     */
    static MemorySegment buffer(Arena arena, int maxFrame) {
        return arena.allocate(HEADROOM + maxFrame + dev.jxdp.hooks.XdpBuff.SHARED_INFO, 64);
    }

    /** The frame's bytes in {@code buffer} (after the headroom). */
    static MemorySegment frame(MemorySegment buffer, int length) {
        return buffer.asSlice(HEADROOM, length);
    }

    /** xdp_md over the frame of {@code length} bytes in {@code buffer}: the hooks' own context (dev.jxdp.hooks). */
    static Region xdpMd(Arena arena, MemorySegment buffer, int length) {
        return dev.jxdp.hooks.ContextRegions.xdpMd(arena, new dev.jxdp.hooks.XdpBuff().reset(buffer, HEADROOM, length)
                .receivedOn(1, 0));
    }

    /** __sk_buff over the frame of {@code length} bytes in {@code buffer}, on the loopback device, at tc ingress. */
    static Region skBuff(Arena arena, MemorySegment buffer, int length) {
        dev.jxdp.hooks.Skb skb = new dev.jxdp.hooks.Skb().reset(buffer, HEADROOM, length).device(dev.jxdp.hooks.Device.LOOPBACK)
                .atIngress(true);
        return dev.jxdp.hooks.ContextRegions.skBuff(arena, skb);
    }

    static boolean isTc(Linked p) {
        return p.program().type() != dev.jxdp.obj.ProgramType.XDP;
    }
}
