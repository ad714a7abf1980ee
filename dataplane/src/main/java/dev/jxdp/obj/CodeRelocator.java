package dev.jxdp.obj;

import dev.jxdp.isa.Call;
import dev.jxdp.isa.CallKind;
import dev.jxdp.isa.Instruction;
import dev.jxdp.isa.LoadImm64;
import dev.jxdp.isa.PseudoSource;
import java.util.HashMap;
import java.util.Map;

/**
 * Applies the relocations of one code section, as libbpf's bpf_program__record_reloc and
 * bpf_object__relocate_data do, and works out where every bpf-to-bpf call and function-address load
 * goes (the linker needs that to append and place subprograms):
 *
 * <ul>
 *   <li>LD_IMM64 against a map definition ({@code .maps} or {@code maps}) becomes
 *       {@code BPF_PSEUDO_MAP_FD} with imm = the map's index;</li>
 *   <li>LD_IMM64 against global data becomes {@code BPF_PSEUDO_MAP_VALUE} with imm = the map's index and
 *       the second imm = the byte offset: the symbol's value plus the imm clang left in the
 *       instruction (section symbols carry the offset in imm, variable symbols in their value);</li>
 *   <li>a call with src_reg 1 against a function (global, imm -1) or against a section symbol (static,
 *       imm relative) targets slot {@code value / 8 + imm + 1} of the symbol's section; without a
 *       relocation, a call targets its own section at {@code pc + imm + 1};</li>
 *   <li>LD_IMM64 of a function address (src_reg 4) targets byte {@code value + imm} of the symbol's section.</li>
 * </ul>
 * Symbols without a section (externs: kfuncs, ksyms, Kconfig) are not supported.
 */
final class CodeRelocator {
    private CodeRelocator() {}

    /** Where a call or function-address load at some slot goes. */
    record Target(CodeSection code, long slot) {}

    static Map<Integer, Target> relocate(LoadContext ctx, CodeSection cs, Map<Integer, CodeSection> codeBySection, MapDefinitions maps) {
        ElfSection s = cs.section;
        Map<Integer, Target> targets = new HashMap<>();
        java.util.Set<Integer> relocated = new java.util.HashSet<>();
        for (Map.Entry<Long, ElfRelocation> e : ctx.relocationsOf(s).entrySet()) {
            long off = e.getKey();
            ElfRelocation r = e.getValue();
            if (r.type() == ElfRelocation.R_BPF_NONE) {
                continue;
            }
            if (off % 8 != 0 || cs.slots[(int) (off / 8)] == null) {
                throw ctx.format(s, off, "relocation at 0x" + Long.toHexString(off) + " does not start an instruction");
            }
            int pc = (int) (off / 8);
            Instruction insn = cs.slots[pc];
            ElfSymbol sym = ctx.symbol(r);
            String symName = sym.name().isEmpty() && sym.sectionIndex() > 0 && sym.sectionIndex() < ctx.sections().size()
                    ? ctx.section(sym.sectionIndex()).name() : sym.name();
            if (sym.sectionIndex() == ElfSymbol.SHN_UNDEF) {
                throw ctx.unsupported(s, off, "insn " + pc + " refers to extern symbol '" + symName
                        + "' (a kfunc, ksym or Kconfig variable), which jxdp does not support");
            }
            if (sym.sectionIndex() >= ctx.sections().size()) {
                throw ctx.format(s, off, "insn " + pc + ": relocation against symbol '" + symName + "' in special section 0x"
                        + Integer.toHexString(sym.sectionIndex()));
            }
            ElfSection symSection = ctx.section(sym.sectionIndex());
            switch (insn) {
                case Call c when c.kind() == CallKind.LOCAL -> {
                    CodeSection callee = codeBySection.get(symSection.index());
                    if (callee == null) {
                        throw ctx.format(s, off, "insn " + pc + ": call relocation against '" + symName + "' in section "
                                + symSection.name() + ", which holds no code");
                    }
                    if (sym.value() % 8 != 0) {
                        throw ctx.format(s, off, "insn " + pc + ": call relocation against '" + symName + "' at unaligned offset 0x" + Long.toHexString(sym.value()));
                    }
                    targets.put(pc, new Target(callee, sym.value() / 8 + c.imm() + 1L));
                }
                case Call c -> throw ctx.format(s, off, "insn " + pc + ": relocation of a call that is not a bpf-to-bpf call (src_reg " + c.kind().code + ")");
                case LoadImm64 l -> {
                    cs.slots[pc] = relocateLoad(ctx, s, off, pc, l, sym, symName, symSection, codeBySection, maps, targets);
                    relocated.add(pc);
                }
                default -> throw ctx.format(s, off, "insn " + pc + ": relocation against '" + symName
                        + "' for an instruction that is neither a 64-bit immediate load nor a call");
            }
        }
        // Calls without relocations stay in their section (static functions of the same section). A
        // 64-bit load that names a map or function without a relocation has nothing to name it by: in
        // an object, descriptors and indexes only ever come from relocations.
        for (int pc = 0; pc < cs.slots.length; pc++) {
            Instruction insn = cs.slots[pc];
            if (insn instanceof Call c && c.kind() == CallKind.LOCAL && !targets.containsKey(pc)) {
                targets.put(pc, new Target(cs, (long) pc + c.imm() + 1));
            } else if (insn instanceof LoadImm64 l && l.source() != PseudoSource.VALUE && !relocated.contains(pc)) {
                throw ctx.format(s, pc * 8L, "insn " + pc + ": 64-bit load with pseudo source " + l.source().code
                        + " (" + l.source() + ") but no relocation to say what it refers to");
            }
        }
        return targets;
    }

    private static LoadImm64 relocateLoad(LoadContext ctx, ElfSection s, long off, int pc, LoadImm64 l, ElfSymbol sym, String symName,
            ElfSection symSection, Map<Integer, CodeSection> codeBySection, MapDefinitions maps, Map<Integer, Target> targets) {
        CodeSection code = codeBySection.get(symSection.index());
        if (code != null) {
            long target = sym.value() + l.imm();
            if (target % 8 != 0) {
                throw ctx.format(s, off, "insn " + pc + ": function address of '" + symName + "' at unaligned offset " + target);
            }
            targets.put(pc, new Target(code, target / 8));
            return new LoadImm64(l.dst(), PseudoSource.FUNC, 0, 0);
        }
        int dataMap = maps.dataMapOf(symSection.index());
        if (dataMap >= 0) {
            long offset = (long) l.imm() + sym.value();
            long size = Integer.toUnsignedLong(maps.entries.get(dataMap).spec.valueSize());
            if (offset < 0 || offset >= size) {
                throw ctx.format(s, off, "insn " + pc + ": reference to '" + symName + "' + " + l.imm() + " lies outside "
                        + symSection.name() + " (" + size + " bytes)");
            }
            return new LoadImm64(l.dst(), PseudoSource.MAP_VALUE, dataMap, (int) offset);
        }
        long defOffset = sym.value() + (sym.isSection() ? l.imm() : 0);
        int map = maps.indexAt(symSection.index(), defOffset);
        if (map >= 0) {
            return new LoadImm64(l.dst(), PseudoSource.MAP_FD, map, 0);
        }
        if (symSection.name().equals(".maps") || symSection.name().equals("maps")) {
            throw ctx.format(s, off, "insn " + pc + ": reference to '" + symName + "', which is no map definition of section " + symSection.name());
        }
        throw ctx.format(s, off, "insn " + pc + ": reference to '" + symName + "' in section " + symSection.name()
                + ", which holds no map, global data or code");
    }
}
