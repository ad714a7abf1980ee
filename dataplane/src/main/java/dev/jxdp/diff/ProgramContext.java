package dev.jxdp.diff;

import dev.jxdp.helpers.HelperIds;
import dev.jxdp.isa.Alu;
import dev.jxdp.isa.AluOp;
import dev.jxdp.isa.Call;
import dev.jxdp.isa.CallKind;
import dev.jxdp.isa.Disassembler;
import dev.jxdp.isa.Instruction;
import dev.jxdp.isa.LoadImm64;
import dev.jxdp.isa.Operand;
import dev.jxdp.isa.PseudoSource;
import dev.jxdp.obj.ObjectSpec;
import dev.jxdp.obj.ProgramSpec;
import dev.jxdp.obj.btf.BtfExt;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiPredicate;

/**
 * Where in a program a difference may come from, for the report: the instructions that could have
 * produced the differing value (a {@code r0 = N} for a return value, the map references of a map),
 * each with its source line (BTF line_info, as {@code bpftool prog dump xlated} shows it) and a few
 * instructions either side. Neither side says which exit a run took, so these are candidates, not
 * a trace; that is why the report shows every site (up to a few).
 */
final class ProgramContext {
    private static final int WINDOW = 3;
    private static final int MAX_SITES = 3;

    private final ObjectSpec object;
    private final ProgramSpec program;
    private final TreeMap<Integer, Instruction> insns = new TreeMap<>();
    private final TreeMap<Integer, BtfExt.LineInfo> lines = new TreeMap<>();

    ProgramContext(ObjectSpec object, ProgramSpec program) {
        this.object = object;
        this.program = program;
        program.code().forEach((insn, pc) -> insns.put(pc, insn));
        for (BtfExt.LineInfo li : program.lineInfo()) {
            lines.putIfAbsent(li.insn(), li);
        }
    }

    ObjectSpec object() {
        return object;
    }

    /** Helper ids the program calls (for the nondeterministic ones). */
    boolean callsHelper(int id) {
        return insns.values().stream().anyMatch(i -> i instanceof Call c && c.kind() == CallKind.HELPER && c.imm() == id);
    }

    /** The moves of the constant {@code value} (low 32 bits) into r0: where a return value may be set. */
    List<String> returnSites(long value) {
        return sites((pc, insn) -> insn instanceof Alu a && a.dst() == 0 && (a.op() == AluOp.MOV)
                && a.src() instanceof Operand.Imm(int v) && v == (int) value, "r0 = " + value);
    }

    /** The instructions that load a reference to map number {@code index} of the object. */
    List<String> mapSites(int index) {
        return sites((pc, insn) -> insn instanceof LoadImm64 l && l.imm() == index
                && (l.source() == PseudoSource.MAP_FD || l.source() == PseudoSource.MAP_VALUE), "the map's references");
    }

    private List<String> sites(BiPredicate<Integer, Instruction> match, String what) {
        List<Integer> found = new ArrayList<>();
        for (Map.Entry<Integer, Instruction> e : insns.entrySet()) {
            if (match.test(e.getKey(), e.getValue())) {
                found.add(e.getKey());
            }
        }
        List<String> out = new ArrayList<>();
        if (found.isEmpty()) {
            out.add("no instruction of " + program.name() + " sets " + what + " directly");
            return out;
        }
        out.add(program.name() + ": " + what + " at insn " + String.join(", ", found.stream().map(String::valueOf).toList())
                + (found.size() > MAX_SITES ? " (the first " + MAX_SITES + " shown)" : ""));
        Disassembler dis = new Disassembler(Disassembler.Syntax.DEFAULT, null);
        for (int pc : found.subList(0, Math.min(MAX_SITES, found.size()))) {
            Map.Entry<Integer, BtfExt.LineInfo> li = lines.floorEntry(pc);
            if (li != null) {
                out.add("  ; " + li.getValue().source().strip() + " [" + li.getValue().file() + ":" + li.getValue().line() + "]");
            }
            Integer from = insns.floorKey(pc);
            for (int i = 0; i < WINDOW && from != null && insns.lowerKey(from) != null; i++) {
                from = insns.lowerKey(from);
            }
            int shown = 0;
            for (Map.Entry<Integer, Instruction> e : insns.tailMap(from, true).entrySet()) {
                if (shown++ > 2 * WINDOW) {
                    break;
                }
                out.add(String.format("  %s%4d: %s%s", e.getKey() == pc ? ">" : " ", e.getKey(), dis.format(e.getValue(), e.getKey()),
                        annotation(e.getValue())));
            }
        }
        return out;
    }

    private String annotation(Instruction insn) {
        return switch (insn) {
            case Call c when c.kind() == CallKind.HELPER -> " <" + HelperIds.describe(c.imm()).replaceFirst("#\\d+$", "") + ">";
            case LoadImm64 l when (l.source() == PseudoSource.MAP_FD || l.source() == PseudoSource.MAP_VALUE) && l.imm() >= 0
                    && l.imm() < object.maps().size() -> " <" + object.maps().get(l.imm()).name() + ">";
            default -> "";
        };
    }
}
