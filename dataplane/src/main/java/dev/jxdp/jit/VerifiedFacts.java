package dev.jxdp.jit;

import dev.jxdp.exec.RegionKind;
import dev.jxdp.isa.Call;
import dev.jxdp.isa.CallKind;
import dev.jxdp.isa.Load;
import dev.jxdp.obj.MapType;
import dev.jxdp.verifier.MapRef;
import dev.jxdp.verifier.MemoryProof;
import dev.jxdp.verifier.VerifiedProgram;
import dev.jxdp.verifier.ctx.CtxAccess;
import java.util.Objects;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * What the verifier proved, as the JIT consumes it: every load, store and atomic the verifier proved
 * in bounds of plain memory becomes a direct access ({@link MemoryAccess.Direct}); a context load
 * becomes a read of the run's context object at the offset the rewrite table gives
 * ({@link MemoryAccess.ContextLoad}, the kernel's convert_ctx_access in jxdp's form), while context
 * stores stay checked; and a verified program needs no instruction counting, since the verifier
 * explored every path to its end.
 *
 * <p>The adapter lives here, not in the verifier, so that dependencies point one way: the JIT uses
 * the verifier, the verifier knows nothing of the JIT.
 *
 * <p>What the proofs assume of the run-time regions, which engines and hooks must provide: the packet
 * region spans exactly data(_meta) to data_end; each frame's stack is the 512 bytes below r10; map
 * values are live memory of the map's value size for as long as the program runs, and start 8-byte
 * aligned (atomics are proven aligned relative to the start of their value or stack slot).
 */
public final class VerifiedFacts implements ProgramFacts {
    private final VerifiedProgram program;
    private final IntFunction<ArrayValues> arrays;
    private final IntFunction<HashLookup> hashes;

    /** Facts whose map lookups all stay helper calls. */
    public VerifiedFacts(VerifiedProgram program) {
        this(program, index -> null);
    }

    /** Facts whose HASH map lookups stay helper calls. */
    public VerifiedFacts(VerifiedProgram program, IntFunction<ArrayValues> arrays) {
        this(program, arrays, index -> null);
    }

    /**
     * @param arrays the value block of the map at an index of the verifier's map list, or null for a
     *     map whose lookups must stay helper calls (every type but ARRAY and PERCPU_ARRAY)
     * @param hashes the HASH map at an index of the verifier's map list as the JIT calls it, or null
     *     for a map whose lookups must stay helper calls
     */
    public VerifiedFacts(VerifiedProgram program, IntFunction<ArrayValues> arrays, IntFunction<HashLookup> hashes) {
        this.program = Objects.requireNonNull(program);
        this.arrays = Objects.requireNonNull(arrays);
        this.hashes = Objects.requireNonNull(hashes);
    }

    public VerifiedProgram program() {
        return program;
    }

    @Override
    public MemoryAccess access(int pc) {
        MemoryProof proof = program.proof(pc);
        if (proof == null) {
            return MemoryAccess.CHECKED;
        }
        Set<MemoryProof.Region> regions = proof.regions();
        if (regions.contains(MemoryProof.Region.CTX)) {
            // Only where every path reaches the context: a ctx access is at a constant offset (the kernel
            // refuses a modified ctx pointer), so the rewrite table's entry holds on all of them.
            CtxAccess ctx = program.ctxAccesses().get(pc);
            if (regions.size() == 1 && ctx != null && !ctx.write()
                    && program.input().code().at(pc) instanceof Load l && !l.signed() && l.size().bytes == ctx.width()) {
                return new MemoryAccess.ContextLoad(ctx.offset());
            }
            return MemoryAccess.CHECKED;
        }
        if (program.input().code().at(pc) instanceof dev.jxdp.isa.Atomic && !proof.atomicAligned()) {
            return MemoryAccess.CHECKED;
        }
        return new MemoryAccess.Direct(kind(regions));
    }

    /** The region kind a direct access names: the one region, or OTHER where paths differ. */
    private static RegionKind kind(Set<MemoryProof.Region> regions) {
        if (regions.size() != 1) {
            return RegionKind.OTHER;
        }
        return switch (regions.iterator().next()) {
            case PACKET, PACKET_META -> RegionKind.PACKET;
            case STACK -> RegionKind.STACK;
            case MAP_VALUE -> RegionKind.MAP_VALUE;
            case CTX -> RegionKind.CONTEXT;
            case MAP_KEY, MEM -> RegionKind.OTHER;
        };
    }

    /** True unless some access outside the context stays checked (an atomic not proven aligned). */
    @Override
    public boolean pointersProven() {
        for (var e : program.proofs().entrySet()) {
            Set<MemoryProof.Region> regions = e.getValue().regions();
            boolean ctxOnly = regions.size() == 1 && regions.contains(MemoryProof.Region.CTX);
            if (!ctxOnly && access(e.getKey()) instanceof MemoryAccess.Checked) {
                return false;
            }
        }
        return true;
    }

    /** The main function's stack depth as the verifier found it (rounded up to 8-byte slots). */
    @Override
    public int stackDepth() {
        int depth = program.stackDepths().getOrDefault(0, 512);
        return Math.min(512, (depth + 7) & ~7);
    }

    /**
     * Only bpf_map_lookup_elem, only where one map reaches it on every path, and only where all the
     * program's pointers are proven: the inline lookup's value then needs no region unless a helper
     * asks for the region table ({@link JitRun#exposeArrayValue}), exactly as the helper's would.
     */
    @Override
    public ArrayValues inlineArray(int pc) {
        MapRef m = program.callMap(pc);
        if (m == null || m.index() < 0 || m.type() != MapType.ARRAY && m.type() != MapType.PERCPU_ARRAY || !pointersProven()
                || !(program.input().code().at(pc) instanceof Call c) || c.kind() != CallKind.HELPER || c.imm() != MAP_LOOKUP_ELEM) {
            return null;
        }
        return arrays.apply(m.index());
    }

    /**
     * Only bpf_map_lookup_elem, only where one HASH map reaches it on every path, and only where all
     * the program's pointers are proven (the key is read in place, as the helper reads it then, and the
     * value needs no region unless a helper asks for the region table: {@link JitRun#exposeHashValue}).
     */
    @Override
    public HashLookup inlineHash(int pc) {
        MapRef m = program.callMap(pc);
        if (m == null || m.index() < 0 || m.type() != MapType.HASH || !pointersProven()
                || !(program.input().code().at(pc) instanceof Call c) || c.kind() != CallKind.HELPER || c.imm() != MAP_LOOKUP_ELEM) {
            return null;
        }
        return hashes.apply(m.index());
    }

    private static final int MAP_LOOKUP_ELEM = 1;

    @Override
    public boolean countInstructions() {
        return false;
    }
}
