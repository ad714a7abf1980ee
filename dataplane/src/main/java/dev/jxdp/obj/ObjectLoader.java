package dev.jxdp.obj;

import dev.jxdp.obj.btf.Btf;
import dev.jxdp.obj.btf.BtfExt;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Turns the bytes of an eBPF ELF object into an {@link ObjectSpec}: what {@code bpf_object__open}
 * plus the relocation half of {@code bpf_object__load} do in libbpf, without creating anything.
 *
 * <p>The steps, in libbpf's order: read the ELF, {@code .BTF} and {@code .BTF.ext}, the license and
 * version; define the maps ({@code .maps}, then the legacy {@code maps} section, then global data) and
 * apply {@code .rodata} settings; decode every code section and split it into functions; apply CO-RE
 * relocations; apply map, global-data and function relocations; link each program with the
 * subprograms it calls; refuse GPL-only helpers in programs that are not GPL-compatible; fill the
 * {@code .values} slots of prog arrays and map-in-maps.
 *
 * <p>Every failure is an {@link ObjectLoadException} naming file, section and offset; nothing else is
 * thrown for any input bytes (a fuzz test holds the loader to that), and work and memory stay
 * proportional to the input.
 */
public final class ObjectLoader {
    private ObjectLoader() {}

    /** ET_REL: clang emits relocatable objects, and libbpf accepts nothing else. */
    private static final int ET_REL = 1;

    public static ObjectSpec load(Path path, LoadOptions options) throws IOException {
        return load(path.toString(), Files.readAllBytes(path), options);
    }

    /**
     * @param name the file name, for messages and for the object name that prefixes global data map
     *     names (unless {@link LoadOptions#objectName()} is given)
     */
    public static ObjectSpec load(String name, byte[] bytes, LoadOptions options) {
        ElfFile elf = ElfFile.parse(name, bytes);
        if (elf.type() != ET_REL) {
            throw new ObjectFormatException(name, null, 16, "ELF type " + elf.type() + " is not ET_REL (1): BPF objects are relocatable objects");
        }
        Btf btf = null;
        BtfExt btfExt = null;
        ElfSection btfSection = elf.section(".BTF").orElse(null);
        if (btfSection != null) {
            btf = Btf.parse(name, ".BTF", btfSection.offset(), elf.contents(btfSection));
            ElfSection ext = elf.section(".BTF.ext").orElse(null);
            if (ext != null) {
                btfExt = BtfExt.parse(name, ".BTF.ext", ext.offset(), elf.contents(ext), btf);
            }
        }
        LoadContext ctx = new LoadContext(name, elf, options, btf, btfExt);
        String license = license(ctx);
        OptionalInt version = version(ctx);
        String objectName = options.objectName() != null ? options.objectName() : InternalMapNames.objectName(name);

        MapDefinitions maps = new MapDefinitions();
        for (ElfSection s : elf.sections()) {
            if (s.name().equals(".maps") && s.hasFileData()) {
                BtfMapReader.read(ctx, s, maps);
            }
        }
        for (ElfSection s : elf.sections()) {
            if (s.name().equals("maps") && s.hasFileData()) {
                LegacyMapReader.read(ctx, s, maps);
            }
        }
        GlobalDataMaps.read(ctx, objectName, maps);
        RodataConfig.apply(ctx, maps, options.rodata());

        Map<Integer, CodeSection> code = new LinkedHashMap<>();
        for (ElfSection s : elf.sections()) {
            if (CodeSection.isCode(s)) {
                code.put(s.index(), CodeSection.read(ctx, s));
            }
        }
        checkCoreSections(ctx, code);
        Map<CodeSection, Map<Integer, String>> poisoned = new LinkedHashMap<>();
        for (CodeSection cs : code.values()) {
            poisoned.put(cs, CoreRelocator.apply(ctx, cs));
        }
        Map<CodeSection, Map<Integer, CodeRelocator.Target>> targets = new LinkedHashMap<>();
        for (CodeSection cs : code.values()) {
            targets.put(cs, CodeRelocator.relocate(ctx, cs, code, maps));
        }

        List<ProgramSpec> programs = new ArrayList<>();
        boolean gpl = License.isGplCompatible(license);
        for (CodeSection cs : code.values()) {
            for (CodeSection.Function f : cs.functions) {
                if (!f.entry()) {
                    continue;
                }
                ProgramSections.Kind kind = kindOf(ctx, cs.section, f);
                Linker.Linked linked = Linker.link(ctx, f, targets, poisoned);
                Linker.checkGpl(ctx, f.name(), linked, license);
                String section = cs.section.name().startsWith("?") ? cs.section.name().substring(1) : cs.section.name();
                programs.add(new ProgramSpec(f.name(), section, kind.type(), kind.expectedAttachType(), kind.flags(), kind.autoload(),
                        linked.code(), linked.functions(), linked.funcInfo(), linked.lineInfo(), linked.mapIndexes(), license, gpl,
                        linked.poisoned()));
            }
        }
        fillSlots(ctx, maps, code);
        return new ObjectSpec(name, objectName, license, version, programs, maps.specs(), btf, btfExt);
    }

    /** The {@code license} section's string up to its NUL (libbpf keeps up to 63 bytes; so does this). */
    private static String license(LoadContext ctx) {
        ElfSection s = ctx.elf.section("license").orElse(null);
        if (s == null || !s.hasFileData()) {
            return "";
        }
        byte[] b = ctx.elf.contents(s);
        int n = 0;
        while (n < b.length && n < 63 && b[n] != 0) {
            n++;
        }
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }

    private static OptionalInt version(LoadContext ctx) {
        ElfSection s = ctx.elf.section("version").orElse(null);
        if (s == null) {
            return OptionalInt.empty();
        }
        if (!s.hasFileData() || s.size() != 4) {
            throw ctx.format(s, 0, "section 'version' must hold one u32 (kernel version), not " + s.size() + " bytes");
        }
        byte[] b = ctx.elf.contents(s);
        return OptionalInt.of((b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xff) << 24);
    }

    /** CO-RE relocations must be for sections with code. */
    private static void checkCoreSections(LoadContext ctx, Map<Integer, CodeSection> code) {
        if (ctx.btfExt == null) {
            return;
        }
        for (String section : ctx.btfExt.coreRelocations().keySet()) {
            boolean found = code.values().stream().anyMatch(cs -> cs.section.name().equals(section));
            if (!found) {
                ElfSection ext = ctx.elf.section(".BTF.ext").orElseThrow();
                throw ctx.format(ext, 0, "CO-RE relocations for section '" + section + "', which holds no code");
            }
        }
    }

    private static ProgramSections.Kind kindOf(LoadContext ctx, ElfSection s, CodeSection.Function f) {
        String name = s.name();
        String bare = name.startsWith("?") ? name.substring(1) : name;
        ProgramType named = ctx.options.sectionTypes().get(name);
        if (named == null) {
            named = ctx.options.sectionTypes().get(bare);
        }
        if (named != null) {
            return ProgramSections.named(named, name);
        }
        ProgramSections.Kind inferred = ProgramSections.infer(name);
        if (inferred != null) {
            return inferred;
        }
        if (ctx.options.defaultType() != null) {
            return ProgramSections.named(ctx.options.defaultType(), name);
        }
        ProgramType other = ProgramSections.otherType(name);
        if (other != null) {
            throw ctx.unsupported(s, f.start() * 8L, "program '" + f.name() + "' is a " + other.bpftoolName()
                    + " program (libbpf's name for section '" + name + "'); jxdp runs xdp, tc (sched_cls) and action (sched_act) programs");
        }
        throw ctx.unsupported(s, f.start() * 8L, "cannot tell the program type of '" + f.name() + "' from section name '" + name
                + "' (libbpf knows xdp, xdp.frags, tc, tcx/ingress, classifier, action ...); name it: --type xdp|tc|action"
                + " or --type " + name + "=xdp (LoadOptions.withDefaultType / withSectionType)");
    }

    /** Resolves the {@code .values} slots: program names for prog arrays, map names for map-in-maps. */
    private static void fillSlots(LoadContext ctx, MapDefinitions maps, Map<Integer, CodeSection> code) {
        for (MapDefinitions.Entry e : maps.entries) {
            if (e.slotSymbols.isEmpty()) {
                continue;
            }
            SortedMap<Integer, String> slots = new TreeMap<>();
            for (Map.Entry<Integer, ElfSymbol> slot : e.slotSymbols.entrySet()) {
                ElfSymbol sym = slot.getValue();
                long at = e.slotRelocationOffsets.get(slot.getKey());
                String name;
                if (e.spec.type() == MapType.PROG_ARRAY) {
                    CodeSection cs = code.get(sym.sectionIndex());
                    CodeSection.Function f = cs == null || sym.value() % 8 != 0 ? null : cs.functionStartingAt(sym.value() / 8);
                    if (f == null || !f.entry()) {
                        throw ctx.format(e.section, at, "map '" + e.spec.name() + "' slot " + slot.getKey() + ": '" + sym.name()
                                + "' is not a program of this object");
                    }
                    name = f.name();
                } else {
                    int index = sym.sectionIndex() == e.section.index() ? maps.indexAt(e.section.index(), sym.value()) : -1;
                    if (index < 0) {
                        throw ctx.format(e.section, at, "map '" + e.spec.name() + "' slot " + slot.getKey() + ": '" + sym.name()
                                + "' is not a map of this object");
                    }
                    name = maps.entries.get(index).spec.name();
                }
                slots.put(slot.getKey(), name);
            }
            e.spec = e.spec.withContents(new MapContents.Slots(slots));
        }
    }
}
