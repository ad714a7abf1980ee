package dev.jxdp.obj;

import dev.jxdp.obj.btf.Btf;
import dev.jxdp.obj.btf.BtfType;
import java.util.ArrayList;
import java.util.List;

/**
 * The variables of a BTF DATASEC with their real offsets. clang leaves the DATASEC size and the
 * offsets of non-static variables at 0 and lets the loader fill them in from the ELF symbol table
 * (libbpf's btf_fixup_datasec does so before anything else reads them); static variables' offsets are
 * already right. This does the same fix-up on a view, without changing the parsed {@link Btf}.
 */
record DatasecLayout(String section, int datasecTypeId, List<Var> vars) {

    /** VAR linkage values (BTF_VAR_*). */
    static final int LINKAGE_STATIC = 0;
    static final int LINKAGE_GLOBAL = 1;
    static final int LINKAGE_EXTERN = 2;

    /** One variable: its name, its type id (what the VAR points to), offset and size in the section. */
    record Var(String name, int typeId, long offset, long size, int linkage) {}

    /** The layout of the DATASEC named like {@code section}, or null when the BTF has none. */
    static DatasecLayout of(LoadContext ctx, ElfSection section) {
        Btf btf = ctx.btf;
        if (btf == null) {
            return null;
        }
        int id = btf.find(BtfType.KIND_DATASEC, section.name());
        if (id < 0) {
            return null;
        }
        BtfType.Datasec ds = (BtfType.Datasec) btf.type(id);
        List<Var> vars = new ArrayList<>();
        for (BtfType.SecInfo si : ds.vars()) {
            if (!(si.type() > 0 && btf.type(si.type()) instanceof BtfType.Var v)) {
                throw ctx.format(section, 0, "BTF DATASEC '" + section.name() + "' lists type [" + si.type() + "], which is not a VAR");
            }
            long offset = Integer.toUnsignedLong(si.offset());
            if (v.linkage() != LINKAGE_STATIC && v.linkage() != LINKAGE_EXTERN) {
                ElfSymbol sym = symbolFor(ctx, section, v.name());
                if (sym == null) {
                    throw ctx.format(section, 0, "BTF variable '" + v.name() + "' of DATASEC '" + section.name()
                            + "' has no symbol in the section");
                }
                offset = sym.value();
            }
            long size = Integer.toUnsignedLong(si.size());
            if (offset < 0 || offset > section.size() || size > section.size() - offset) {
                throw ctx.format(section, 0, "BTF variable '" + v.name() + "' at offset " + offset + " of size " + size
                        + " lies outside section " + section.name() + " (" + section.size() + " bytes)");
            }
            vars.add(new Var(v.name(), v.type(), offset, size, v.linkage()));
        }
        return new DatasecLayout(section.name(), id, List.copyOf(vars));
    }

    private static ElfSymbol symbolFor(LoadContext ctx, ElfSection section, String name) {
        for (ElfSymbol s : ctx.elf.symbols()) {
            if (s.sectionIndex() == section.index() && s.name().equals(name) && !s.isSection()) {
                return s;
            }
        }
        return null;
    }

    Var var(String name) {
        for (Var v : vars) {
            if (v.name().equals(name)) {
                return v;
            }
        }
        return null;
    }

    /** The variable a byte offset of the section falls into, or null. */
    Var varAt(long offset) {
        for (Var v : vars) {
            if (v.offset() <= offset && offset < v.offset() + Math.max(1, v.size())) {
                return v;
            }
        }
        return null;
    }
}
