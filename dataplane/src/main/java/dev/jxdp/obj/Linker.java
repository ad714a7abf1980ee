package dev.jxdp.obj;

import dev.jxdp.helpers.HelperIds;
import dev.jxdp.isa.Bytecode;
import dev.jxdp.isa.Call;
import dev.jxdp.isa.CallKind;
import dev.jxdp.isa.DecodeException;
import dev.jxdp.isa.Instruction;
import dev.jxdp.isa.LoadImm64;
import dev.jxdp.isa.PseudoSource;
import dev.jxdp.obj.btf.BtfExt;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Links one program as libbpf's bpf_object__reloc_code does: the program's own function first; then,
 * scanning its instructions in order, the first call or function-address load that reaches a function
 * not yet placed appends that function at the end and scans it before going on (depth first), so that
 * every function appears once and every call's imm is the distance from the call to its callee. A
 * program that calls nothing is its own function, unchanged.
 */
final class Linker {
    private Linker() {}

    /** A program's linked code and what goes with it. */
    record Linked(Bytecode code, List<ProgramSpec.Function> functions, List<BtfExt.FuncInfo> funcInfo,
            List<BtfExt.LineInfo> lineInfo, List<Integer> mapIndexes, List<ProgramSpec.PoisonedRelocation> poisoned,
            long[] origins) {}

    private record Frame(CodeSection.Function function, int base, int[] next) {}

    static Linked link(LoadContext ctx, CodeSection.Function main, Map<CodeSection, Map<Integer, CodeRelocator.Target>> targets,
            Map<CodeSection, Map<Integer, String>> poisoned) {
        List<Instruction> out = new ArrayList<>();
        List<Long> origins = new ArrayList<>();
        Map<CodeSection.Function, Integer> placed = new IdentityHashMap<>();
        List<ProgramSpec.Function> functions = new ArrayList<>();
        List<ProgramSpec.PoisonedRelocation> poison = new ArrayList<>();
        Deque<Frame> stack = new ArrayDeque<>();

        stack.push(new Frame(main, append(main, out, origins, placed, functions, poisoned, poison), new int[1]));
        while (!stack.isEmpty()) {
            Frame fr = stack.peek();
            int i = fr.next[0]++;
            if (i >= fr.function.length()) {
                stack.pop();
                continue;
            }
            int at = fr.base + i;
            Instruction insn = out.get(at);
            boolean local = insn instanceof Call c && c.kind() == CallKind.LOCAL;
            boolean address = insn instanceof LoadImm64 l && l.source() == PseudoSource.FUNC;
            if (!local && !address) {
                continue;
            }
            CodeSection code = fr.function.code();
            int pc = fr.function.start() + i;
            CodeRelocator.Target t = targets.get(code).get(pc);
            CodeSection.Function callee = t == null ? null : t.code().functionStartingAt(t.slot());
            if (callee == null) {
                String where = t == null ? "nowhere" : "slot " + t.slot() + " of section " + t.code().section.name();
                throw ctx.format(code.section, pc * 8L, "insn " + pc + " of '" + fr.function.name() + "': "
                        + (local ? "call" : "function address") + " to " + where + ", which does not start a function");
            }
            Integer calleeAt = placed.get(callee);
            boolean fresh = calleeAt == null;
            if (fresh) {
                calleeAt = append(callee, out, origins, placed, functions, poisoned, poison);
            }
            int rel = calleeAt - at - 1;
            out.set(at, local ? new Call(CallKind.LOCAL, rel) : new LoadImm64(((LoadImm64) insn).dst(), PseudoSource.FUNC, rel, 0));
            if (fresh) {
                stack.push(new Frame(callee, calleeAt, new int[1]));
            }
        }

        List<Instruction> list = new ArrayList<>(out.size());
        for (Instruction insn : out) {
            if (insn != null) {
                list.add(insn);
            }
        }
        Bytecode bytecode = Bytecode.of(list);
        long[] originArray = origins.stream().mapToLong(Long::longValue).toArray();
        try {
            bytecode.checkTargets();
        } catch (DecodeException e) {
            int pc = Math.max(0, e.index());
            throw new ObjectFormatException(ctx.file, sectionOf(functions, pc), originArray[pc],
                    "program '" + main.name() + "' insn " + pc + ": " + e.problem());
        }
        return new Linked(bytecode, functions, funcInfo(ctx, functions, placed), lineInfo(ctx, placed), mapIndexes(bytecode),
                poison, originArray);
    }

    private static String sectionOf(List<ProgramSpec.Function> functions, int pc) {
        for (ProgramSpec.Function f : functions) {
            if (f.start() <= pc && pc < f.start() + f.length()) {
                return f.section();
            }
        }
        return null;
    }

    private static int append(CodeSection.Function f, List<Instruction> out, List<Long> origins,
            Map<CodeSection.Function, Integer> placed, List<ProgramSpec.Function> functions,
            Map<CodeSection, Map<Integer, String>> poisoned, List<ProgramSpec.PoisonedRelocation> poison) {
        int base = out.size();
        placed.put(f, base);
        functions.add(new ProgramSpec.Function(f.name(), f.section().name(), base, f.length()));
        for (int i = 0; i < f.length(); i++) {
            out.add(f.code().slots[f.start() + i]);
            origins.add(f.section().offset() + (f.start() + i) * 8L);
            String p = poisoned.getOrDefault(f.code(), Map.of()).get(f.start() + i);
            if (p != null) {
                poison.add(new ProgramSpec.PoisonedRelocation(base + i, p));
            }
        }
        return base;
    }

    /** BTF.ext func_info of every placed function, moved to where the function now starts. */
    private static List<BtfExt.FuncInfo> funcInfo(LoadContext ctx, List<ProgramSpec.Function> functions,
            Map<CodeSection.Function, Integer> placed) {
        if (ctx.btfExt == null) {
            return List.of();
        }
        List<BtfExt.FuncInfo> out = new ArrayList<>();
        for (Map.Entry<CodeSection.Function, Integer> e : placed.entrySet()) {
            CodeSection.Function f = e.getKey();
            for (BtfExt.FuncInfo fi : ctx.btfExt.funcInfo().getOrDefault(f.section().name(), List.of())) {
                if (fi.insn() >= f.start() && fi.insn() < f.start() + f.length()) {
                    out.add(new BtfExt.FuncInfo(e.getValue() + fi.insn() - f.start(), fi.typeId()));
                }
            }
        }
        out.sort(Comparator.comparingInt(BtfExt.FuncInfo::insn));
        return out;
    }

    private static List<BtfExt.LineInfo> lineInfo(LoadContext ctx, Map<CodeSection.Function, Integer> placed) {
        if (ctx.btfExt == null) {
            return List.of();
        }
        List<BtfExt.LineInfo> out = new ArrayList<>();
        for (Map.Entry<CodeSection.Function, Integer> e : placed.entrySet()) {
            CodeSection.Function f = e.getKey();
            for (BtfExt.LineInfo li : ctx.btfExt.lineInfo().getOrDefault(f.section().name(), List.of())) {
                if (li.insn() >= f.start() && li.insn() < f.start() + f.length()) {
                    out.add(new BtfExt.LineInfo(e.getValue() + li.insn() - f.start(), li.file(), li.source(), li.line(), li.column()));
                }
            }
        }
        out.sort(Comparator.comparingInt(BtfExt.LineInfo::insn));
        return out;
    }

    /** Indexes of the maps the code loads, in order of first appearance (the kernel's used_maps order). */
    private static List<Integer> mapIndexes(Bytecode code) {
        LinkedHashSet<Integer> seen = new LinkedHashSet<>();
        code.forEach((insn, pc) -> {
            if (insn instanceof LoadImm64 l && (l.source() == PseudoSource.MAP_FD || l.source() == PseudoSource.MAP_VALUE)) {
                seen.add(l.imm());
            }
        });
        return List.copyOf(seen);
    }

    /**
     * The kernel's rule (check_helper_call): a program whose license is not GPL-compatible may not call
     * a GPL-only helper. Refused with the verifier's own words.
     */
    static void checkGpl(LoadContext ctx, String program, Linked linked, String license) {
        if (License.isGplCompatible(license)) {
            return;
        }
        linked.code().forEach((insn, pc) -> {
            if (insn instanceof Call c && c.kind() == CallKind.HELPER && HelperIds.isGplOnly(c.imm())) {
                throw new ProgramRefusedException(ctx.file, sectionOf(linked.functions(), pc), linked.origins()[pc],
                        "cannot call GPL-restricted function from non-GPL compatible program (program '" + program + "' insn " + pc
                                + " calls " + HelperIds.describe(c.imm()) + "; license \"" + license + "\")");
            }
        });
    }
}
