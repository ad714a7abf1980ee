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
import dev.jxdp.isa.Decoder;
import dev.jxdp.obj.ElfFile;
import dev.jxdp.obj.ElfRelocation;
import dev.jxdp.obj.ElfSection;
import dev.jxdp.obj.ElfSymbol;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A local harness until the object loader and the hooks exist (they are being written elsewhere):
 * takes one program's code straight from its ELF section, appends {@code .text} when it calls into
 * it, and resolves relocations just enough to run: bpf-to-bpf calls get their offsets, references
 * to {@code .rodata}/{@code .data}/{@code .bss} become the addresses of regions holding those
 * sections' bytes, and map references (BTF {@code .maps} or legacy {@code maps}) become fake
 * constants (there are no maps yet; the stub helpers never look at them). Not a loader: no BTF, no map creation, no CO-RE.
 */
final class ObjectHarness {
    /** Fake map handles: tagged like function addresses so that they are never valid pointers. */
    static final long FAKE_MAP = 0x3a90_0000_0000_0000L;

    /** A data section the program refers to, and its initial bytes. */
    record Data(String name, byte[] initial, boolean writable) {}

    /** One linked program: code (slot 0 = the program's first instruction) and the data it needs. */
    record Linked(String object, String section, String name, Bytecode code, Map<String, Data> data,
            List<Integer> helperIds) {
        @Override
        public String toString() {
            return object + ":" + section + "/" + name;
        }
    }

    /** A program: a global function symbol in an executable section other than .text. */
    record ProgramRef(String section, String name) {}

    private ObjectHarness() {}

    static ElfFile parse(Path object) {
        try {
            return ElfFile.parse(object.getFileName().toString(), Files.readAllBytes(object));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The programs of an object: global functions of executable sections other than .text, as libbpf sees them. */
    static List<ProgramRef> programs(ElfFile elf) {
        List<ProgramRef> list = new ArrayList<>();
        for (ElfSection s : elf.sections()) {
            if (s.isExecutable() && !s.name().equals(".text") && s.size() > 0) {
                for (ElfSymbol sym : elf.symbolsIn(s)) {
                    if (sym.isFunction() && sym.binding() == ElfSymbol.STB_GLOBAL) {
                        list.add(new ProgramRef(s.name(), sym.name()));
                    }
                }
            }
        }
        return list;
    }

    /** Links the program {@code name} of section {@code sectionName}: its symbol's bytes, then .text if it calls into it. */
    static Linked link(Path object, String sectionName, String name) {
        ElfFile elf = parse(object);
        ElfSection prog = elf.section(sectionName).orElseThrow();
        ElfSymbol entry = elf.symbolsIn(prog).stream().filter(sym -> sym.name().equals(name)).findFirst().orElseThrow();
        long from = entry.value();
        long to = from + entry.size();
        ElfSection text = elf.section(".text").filter(s -> s.size() > 0 && !s.equals(prog)).orElse(null);
        Map<Integer, ElfSymbol> symbols = new LinkedHashMap<>();
        elf.symbols().forEach(s -> symbols.put(s.index(), s));

        boolean callsText = text != null && elf.relocations().stream().anyMatch(r -> r.targetSection() == prog.index()
                && r.offset() >= from && r.offset() < to
                && r.type() == ElfRelocation.R_BPF_64_32 && symbols.get(r.symbol()).sectionIndex() == text.index());
        byte[] progBytes = java.util.Arrays.copyOfRange(elf.contents(prog), (int) from, (int) to);
        byte[] textBytes = callsText ? elf.contents(text) : new byte[0];
        ByteBuffer code = ByteBuffer.allocate(progBytes.length + textBytes.length).order(ByteOrder.LITTLE_ENDIAN);
        code.put(progBytes).put(textBytes);
        int textBase = progBytes.length / 8;

        Map<String, Data> data = new LinkedHashMap<>();
        for (ElfRelocation r : elf.relocations()) {
            int slot;
            if (r.targetSection() == prog.index() && r.offset() >= from && r.offset() < to) {
                slot = (int) ((r.offset() - from) / 8);
            } else if (callsText && r.targetSection() == text.index()) {
                slot = textBase + (int) (r.offset() / 8);
            } else {
                continue;
            }
            ElfSymbol sym = symbols.get(r.symbol());
            ElfSection target = sym.sectionIndex() > 0 && sym.sectionIndex() < elf.sections().size()
                    ? elf.sections().get(sym.sectionIndex()) : null;
            int at = slot * 8;
            int imm = code.getInt(at + 4);
            switch (r.type()) {
                case ElfRelocation.R_BPF_64_32 -> {
                    // libbpf: the callee is at sym_off / 8 + imm + 1 within its section.
                    if (target == null || !target.equals(text)) {
                        throw new IllegalArgumentException("call relocation to " + sym.name() + " outside .text");
                    }
                    int callee = textBase + (int) (sym.value() / 8) + imm + 1;
                    code.putInt(at + 4, callee - (slot + 1));
                }
                case ElfRelocation.R_BPF_64_64 -> {
                    long value;
                    if (target != null && (target.name().equals(".maps") || target.name().equals("maps"))) {
                        value = FAKE_MAP | sym.index();
                    } else if (target != null && (target.name().startsWith(".rodata") || target.name().startsWith(".data")
                            || target.name().startsWith(".bss"))) {
                        Data d = data.computeIfAbsent(target.name(), n -> new Data(n, sectionBytes(elf, target),
                                !n.startsWith(".rodata")));
                        // Patched below once regions exist: remember section and offset in the fake value.
                        value = Placeholder.of(new ArrayList<>(data.keySet()).indexOf(d.name()), sym.value() + imm);
                    } else {
                        throw new IllegalArgumentException("ld_imm64 relocation to " + sym.name() + " in "
                                + (target == null ? "no section" : target.name()));
                    }
                    code.put(at + 1, (byte) (code.get(at + 1) & 0x0f)); // src_reg = 0: a plain value
                    code.putInt(at + 4, (int) value);
                    code.putInt(at + 12, (int) (value >>> 32));
                }
                default -> throw new IllegalArgumentException("relocation type " + r.type() + " in code");
            }
        }
        Bytecode bc = Decoder.decode(code.array());
        TreeSet<Integer> helpers = new TreeSet<>();
        bc.forEach((insn, pc) -> {
            if (insn instanceof Call c && c.kind() == CallKind.HELPER) {
                helpers.add(c.imm());
            }
        });
        return new Linked(object.getFileName().toString(), sectionName, name, bc, data, List.copyOf(helpers));
    }

    private static byte[] sectionBytes(ElfFile elf, ElfSection s) {
        return s.hasFileData() ? elf.contents(s) : new byte[(int) s.size()];
    }

    /**
     * Until regions are allocated, a data reference is a placeholder: data section index in the top
     * bits, offset below. {@link Instance} rewrites the code with real addresses.
     */
    static final class Placeholder {
        static final long TAG = 0x7da7_0000_0000_0000L;

        static long of(int section, long offset) {
            return TAG | (long) section << 32 | offset & 0xffff_ffffL;
        }
    }

    /** The regions of one linked program in one arena: its data sections with the addresses patched in. */
    record Instance(Bytecode code, List<Region> regions, Map<String, MemorySegment> segments) {

        static Instance of(Linked p, Arena arena) {
            List<String> names = new ArrayList<>(p.data().keySet());
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
            var list = new ArrayList<dev.jxdp.isa.Instruction>();
            p.code().forEach((insn, pc) -> {
                if (insn instanceof dev.jxdp.isa.LoadImm64 l && (l.value() & 0xffff_0000_0000_0000L) == Placeholder.TAG) {
                    int section = (int) (l.value() >>> 32 & 0xffff);
                    long offset = l.value() & 0xffff_ffffL;
                    list.add(dev.jxdp.isa.LoadImm64.of(l.dst(), segments.get(names.get(section)).address() + offset));
                } else {
                    list.add(insn);
                }
            });
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

    static boolean isTc(String section) {
        return section.startsWith("tc") || section.startsWith("classifier");
    }
}
