package dev.jxdp.verifier;

import dev.jxdp.verifier.ctx.CtxAccess;
import java.util.List;
import java.util.Set;

/**
 * What the verifier proved about one load, store or atomic: every path that reaches it accesses one of
 * {@link #regions}, wholly inside that region's bounds (the check that rejects a program otherwise is
 * what makes the proof). An engine may therefore access the memory directly, without a run-time bounds
 * check, provided the run-time regions are what the verifier assumed: packet bytes between
 * data(_meta) and data_end, the frame's 512 stack bytes below r10, the map values of {@link #maps},
 * ring buffer reservations of the reserved size. Context accesses are never plain memory: {@link #ctx}
 * says which field, and the engine serves it from the hook's context object.
 *
 * @param maps the maps whose values the instruction may touch (for {@link Region#MAP_VALUE})
 * @param ctx the rewrite for a context access, null otherwise
 * @param atomicAligned for atomics: the address is proven naturally aligned relative to the start of
 *     its region (stack slot or map value), so it is aligned wherever regions start 8-byte aligned
 */
public record MemoryProof(Set<Region> regions, List<MapRef> maps, CtxAccess ctx, boolean atomicAligned) {
    public MemoryProof {
        regions = Set.copyOf(regions);
        maps = List.copyOf(maps);
    }

    /** The memory an access may touch. */
    public enum Region {
        PACKET, PACKET_META, STACK, CTX, MAP_VALUE, MAP_KEY, MEM
    }

    /** Exactly one region on every path. */
    public boolean singleRegion() {
        return regions.size() == 1;
    }
}
