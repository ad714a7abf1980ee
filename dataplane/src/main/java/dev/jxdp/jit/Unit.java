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
 * ({@code h<id>}), initialised from the class data, so HotSpot sees a constant receiver at each call;
 * so does each map an inline lookup reads ({@code m<i>}), which keeps the map with the class.
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
    /** Slot of a bpf_map_lookup_elem compiled inline -> the array it reads. */
    final Map<Integer, ArrayValues> inlineLookups = new TreeMap<>();
    /** The arrays of {@link #inlineLookups}, each once: field {@code m<i>} holds the i-th's map. */
    final List<ArrayValues> arrays = new ArrayList<>();
    /** Slot of a bpf_map_lookup_elem compiled as a direct call -> the HASH map it calls. */
    final Map<Integer, HashLookup> hashLookups = new TreeMap<>();
    /** The maps of {@link #hashLookups}, each once: field {@code hm<i>} holds the i-th. */
    final List<HashLookup> hashes = new ArrayList<>();

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
            ArrayValues array = insn instanceof Call ? facts.inlineArray(pc) : null;
            if (array != null) {
                inlineLookups.put(pc, array);
                if (arrays.stream().noneMatch(a -> a.map() == array.map())) {
                    arrays.add(array);
                }
            }
            HashLookup hash = insn instanceof Call && array == null ? facts.inlineHash(pc) : null;
            if (hash != null) {
                hashLookups.put(pc, hash);
                if (hashes.stream().noneMatch(h -> h == hash)) {
                    hashes.add(hash);
                }
            }
            // A per-CPU site keeps the helper for a worker the map has no values for (its error).
            if (insn instanceof Call c && c.kind() == CallKind.HELPER && hash == null && (array == null || array.perCpu())) {
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

    static String mapField(int index) {
        return "m" + index;
    }

    static String hashField(int index) {
        return "hm" + index;
    }

    /** The index of {@code hash} in {@link #hashes}. */
    int hashIndex(HashLookup hash) {
        int i = hashes.indexOf(hash);
        if (i < 0) {
            throw new IllegalStateException("hash map " + hash + " not planned");
        }
        return i;
    }

    /** The index of the array holding {@code array}'s map in {@link #arrays}. */
    int arrayIndex(ArrayValues array) {
        for (int i = 0; i < arrays.size(); i++) {
            if (arrays.get(i).map() == array.map()) {
                return i;
            }
        }
        throw new IllegalStateException("array of map " + array.map() + " not planned");
    }

    /** The helpers in field order, then the maps of the inline lookups, then the hash maps, in field order. */
    List<Object> classData() {
        List<Object> data = new ArrayList<>(helperFields.values());
        arrays.forEach(a -> data.add(a.map()));
        data.addAll(hashes);
        return data;
    }

    FunctionPlan function(int entry) {
        FunctionPlan f = functions.get(entry);
        if (f == null) {
            throw new IllegalStateException("no function at slot " + entry);
        }
        return f;
    }
}
