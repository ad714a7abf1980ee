package dev.jxdp.jit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides the JVM methods of each function. HotSpot never compiles a method above 8,000 bytes of
 * bytecode, and C2 compiles large straight-line methods slowly or gives up on their graphs, so a
 * function whose estimate exceeds {@link Estimate#SINGLE_METHOD} is cut into regions of about
 * {@link Estimate#REGION} bytes: runs of consecutive blocks in slot order (after long blocks were
 * cut into pieces by the {@link Cfg}). Slot order keeps straight-line code and short forward
 * branches inside one region, which is what unrolled programs (the kind that get this large) are
 * made of; a loop that straddles two regions goes through the dispatcher once per iteration, which
 * is correct and only slower.
 */
final class Splitter {
    private Splitter() {}

    static FunctionPlan plan(Cfg cfg, Liveness liveness, int entry, int regionBudget) {
        List<Block> blocks = cfg.function(entry);
        Set<Integer> r0Checks = Liveness.exitsNeedingR0Check(cfg, entry, blocks);
        int liveIn = liveness.liveIn(entry);
        int callx = cfg.functionRefs().size();
        int total = 0;
        for (Block b : blocks) {
            total += cost(cfg, b, callx);
        }
        if (total <= Estimate.SINGLE_METHOD) {
            return new FunctionPlan(entry, blocks, liveIn, r0Checks, List.of(), Map.of());
        }
        List<List<Block>> pieces = new ArrayList<>();
        List<Block> current = new ArrayList<>();
        int size = Estimate.REGION_OVERHEAD;
        for (Block b : blocks) {
            int c = cost(cfg, b, callx) + Estimate.REGION_ENTRY + Estimate.STUB * cfg.successors(b).length;
            if (!current.isEmpty() && size + c > regionBudget) {
                pieces.add(current);
                current = new ArrayList<>();
                size = Estimate.REGION_OVERHEAD;
            }
            current.add(b);
            size += c;
        }
        pieces.add(current);

        Map<Integer, Integer> regionOf = new HashMap<>();
        for (int i = 0; i < pieces.size(); i++) {
            for (Block b : pieces.get(i)) {
                regionOf.put(b.start(), i);
            }
        }
        Map<Integer, List<Integer>> entered = new HashMap<>();
        entered.computeIfAbsent(regionOf.get(entry), k -> new ArrayList<>()).add(entry);
        for (Block b : blocks) {
            for (int s : cfg.successors(b)) {
                if (s != cfg.fallOff && !regionOf.get(s).equals(regionOf.get(b.start()))) {
                    List<Integer> list = entered.computeIfAbsent(regionOf.get(s), k -> new ArrayList<>());
                    if (!list.contains(s)) {
                        list.add(s);
                    }
                }
            }
        }
        List<RegionPlan> regions = new ArrayList<>();
        for (int i = 0; i < pieces.size(); i++) {
            List<Integer> entries = entered.getOrDefault(i, List.of()).stream().sorted().toList();
            regions.add(new RegionPlan(i, List.copyOf(pieces.get(i)), entries));
        }
        return new FunctionPlan(entry, blocks, liveIn, r0Checks, List.copyOf(regions), Map.copyOf(regionOf));
    }

    static int cost(Cfg cfg, Block b, int callxTargets) {
        int c = Estimate.BLOCK_OVERHEAD;
        for (int pc : b.pcs()) {
            c += Estimate.of(cfg.code.at(pc), callxTargets);
        }
        return c;
    }
}
