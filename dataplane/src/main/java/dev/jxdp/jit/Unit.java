package dev.jxdp.jit;

import dev.jxdp.exec.Helpers;
import dev.jxdp.isa.Bytecode;
import dev.jxdp.isa.Call;
import dev.jxdp.isa.CallKind;
import dev.jxdp.isa.CallReg;
import java.lang.constant.ClassDesc;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One program being compiled: its code and analyses, the plan of its methods, and the constants its
 * class carries. Each registered helper the program calls becomes a static final field of the class
 * ({@code h<id>}), initialised from the class data, so HotSpot sees a constant receiver at each call.
 */
final class Unit {
    final Bytecode code;
    final Helpers helpers;
    final ProgramFacts facts;
    final Cfg cfg;
    final Liveness liveness;
    final ClassDesc self;
    final boolean countInstructions;
    /** Function entry -> its plan, in slot order. */
    final Map<Integer, FunctionPlan> functions = new TreeMap<>();
    /** Helper id -> the object its field holds; the order is the class data's. */
    final Map<Integer, Object> helperFields = new LinkedHashMap<>();

    Unit(Bytecode code, Helpers helpers, ProgramFacts facts, ClassDesc self, int singleMethod, int regionBudget) {
        this.code = code;
        this.helpers = helpers;
        this.facts = facts;
        this.self = self;
        this.countInstructions = facts.countInstructions();
        this.cfg = Cfg.build(code, Estimate::of, Estimate.BLOCK);
        this.liveness = Liveness.of(cfg);
        for (int entry : cfg.entries()) {
            functions.put(entry, Splitter.plan(cfg, liveness, entry, singleMethod, regionBudget));
        }
        code.forEach((insn, pc) -> {
            if (insn instanceof Call c && c.kind() == CallKind.HELPER) {
                Helpers.Entry h = helpers.find(c.imm());
                if (h != null) {
                    helperFields.putIfAbsent(c.imm(), h.helper());
                }
            }
        });
    }

    boolean hasCallx() {
        boolean[] found = new boolean[1];
        code.forEach((insn, pc) -> found[0] |= insn instanceof CallReg);
        return found[0];
    }

    static String helperField(int id) {
        return "h" + id;
    }

    List<Object> classData() {
        return new ArrayList<>(helperFields.values());
    }

    FunctionPlan function(int entry) {
        FunctionPlan f = functions.get(entry);
        if (f == null) {
            throw new IllegalStateException("no function at slot " + entry);
        }
        return f;
    }
}
