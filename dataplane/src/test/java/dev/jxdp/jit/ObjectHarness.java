package dev.jxdp.jit;

import dev.jxdp.exec.Helpers;
import dev.jxdp.exec.MemoryFault;
import dev.jxdp.exec.Permission;
import dev.jxdp.exec.Region;
import dev.jxdp.exec.RegionHandler;
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
import java.lang.foreign.ValueLayout;
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
 * maps yet; the stub helpers never look at them), and the context is a small handler that gives
 * data/data_end/data_meta as the kernel's ctx rewrite does. Not the runtime: no map semantics.
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

    /**
     * A context structure as the kernel's ctx rewrite shows it: 32-bit loads at the offsets of
     * data, data_end and data_meta give the full 64-bit pointers; other fields read and write a
     * plain backing store.
     */
    static Region context(Arena arena, String name, long size, long dataOff, long dataEndOff, long metaOff,
            MemorySegment packet) {
        MemorySegment reserved = arena.allocate(size, 8);
        RegionHandler handler = new RegionHandler() {
            @Override
            public long load(long offset, int bytes) {
                if (bytes == 4 && offset == dataOff || bytes == 4 && offset == metaOff) {
                    return packet.address();
                }
                if (bytes == 4 && offset == dataEndOff) {
                    return packet.address() + packet.byteSize();
                }
                return switch (bytes) {
                    case 1 -> reserved.get(ValueLayout.JAVA_BYTE, offset) & 0xffL;
                    case 2 -> reserved.get(ValueLayout.JAVA_SHORT_UNALIGNED, offset) & 0xffffL;
                    case 4 -> reserved.get(ValueLayout.JAVA_INT_UNALIGNED, offset) & 0xffff_ffffL;
                    default -> reserved.get(ValueLayout.JAVA_LONG_UNALIGNED, offset);
                };
            }

            @Override
            public void store(long offset, int bytes, long value) {
                if (offset == dataOff || offset == dataEndOff || offset == metaOff) {
                    throw new MemoryFault("ctx field at offset " + offset + " is read-only");
                }
                switch (bytes) {
                    case 1 -> reserved.set(ValueLayout.JAVA_BYTE, offset, (byte) value);
                    case 2 -> reserved.set(ValueLayout.JAVA_SHORT_UNALIGNED, offset, (short) value);
                    case 4 -> reserved.set(ValueLayout.JAVA_INT_UNALIGNED, offset, (int) value);
                    default -> reserved.set(ValueLayout.JAVA_LONG_UNALIGNED, offset, value);
                }
            }
        };
        return new Region.Handled(name, RegionKind.CONTEXT, reserved.address(), size, Permission.READ_WRITE, handler);
    }

    /** xdp_md: data 0, data_end 4, data_meta 8 (no metadata: data_meta = data). */
    static Region xdpMd(Arena arena, MemorySegment packet) {
        return context(arena, "xdp_md", 24, 0, 4, 8, packet);
    }

    /** __sk_buff: data 76, data_end 80, data_meta 140. */
    static Region skBuff(Arena arena, MemorySegment packet) {
        return context(arena, "__sk_buff", 192, 76, 80, 140, packet);
    }

    static boolean isTc(Linked p) {
        return p.program().type() != dev.jxdp.obj.ProgramType.XDP;
    }
}
