package dev.jxdp.verifier;

import dev.jxdp.verifier.ctx.CtxAccess;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A program the verifier accepted, and what it proved on the way.
 *
 * @param input what was verified
 * @param proofs per load, store or atomic instruction (by slot), which memory it touches; every such
 *     instruction the verifier reached has one (unreachable ones do not exist: they are refused)
 * @param ctxAccesses the context rewrite table: per context load or store, which field at which width
 * @param entryTypes per instruction slot, the type of each register r0-r10 on entry if it is the same on
 *     every path reaching it, null where it varies or the register is not initialised on some path;
 *     null for slots never reached (the second slot of ld_imm64)
 * @param stackDepths per subprogram (by start slot), the bytes of stack it uses
 * @param log the verifier log at the requested level
 * @param callMaps per helper call that takes a map (by slot), the map every path passes it; calls
 *     reached with different maps are absent
 */
public record VerifiedProgram(VerifierInput input, SortedMap<Integer, MemoryProof> proofs, SortedMap<Integer, CtxAccess> ctxAccesses,
                              RegType[][] entryTypes, Map<Integer, Integer> stackDepths, List<Integer> subprogStarts,
                              VerifierStats stats, String log,
                              SortedMap<Integer, MapRef> callMaps) {
    public VerifiedProgram {
        proofs = Collections.unmodifiableSortedMap(new TreeMap<>(proofs));
        ctxAccesses = Collections.unmodifiableSortedMap(new TreeMap<>(ctxAccesses));
        stackDepths = Map.copyOf(stackDepths);
        subprogStarts = List.copyOf(subprogStarts);
        callMaps = Collections.unmodifiableSortedMap(new TreeMap<>(callMaps));
    }

    /** The map the helper call at {@code pc} gets on every path, or null. */
    public MapRef callMap(int pc) {
        return callMaps.get(pc);
    }

    /** The proof for the memory instruction at {@code pc}, or null. */
    public MemoryProof proof(int pc) {
        return proofs.get(pc);
    }

    /** The type of register {@code reg} on entry to {@code pc} when every path agrees, else null. */
    public RegType entryType(int pc, int reg) {
        RegType[] t = pc >= 0 && pc < entryTypes.length ? entryTypes[pc] : null;
        return t == null ? null : t[reg];
    }
}
