package dev.jxdp.jit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
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

    static FunctionPlan plan(Cfg cfg, Liveness liveness, int entry, int singleMethod, int regionBudget) {
        List<Block> blocks = cfg.function(entry);
        Set<Integer> r0Checks = Liveness.exitsNeedingR0Check(cfg, entry, blocks);
        int liveIn = liveness.liveIn(entry);
        int total = Estimate.FUNCTION_OVERHEAD;
        for (Block b : blocks) {
            total += cost(cfg, b);
        }
        if (total <= singleMethod) {
            return new FunctionPlan(entry, blocks, liveIn, r0Checks, List.of(), Map.of());
        }
        List<List<Block>> pieces = new ArrayList<>();
        Piece current = new Piece();
        for (Block b : blocks) {
            int c = cost(cfg, b);
            if (!current.blocks.isEmpty() && current.costWith(cfg, b, c) > regionBudget) {
                pieces.add(current.blocks);
                current = new Piece();
            }
            current.add(cfg, b, c);
        }
        pieces.add(current.blocks);

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

    /**
     * A region being filled: its size is its blocks plus a stub for each distinct block outside it
     * that control can leave for (fall-through to the next block inside costs nothing).
     */
    private static final class Piece {
        final List<Block> blocks = new ArrayList<>();
        int blockCost;

        int costWith(Cfg cfg, Block b, int c) {
            List<Block> with = new ArrayList<>(blocks);
            with.add(b);
            return regionCost(cfg, with, blockCost + c);
        }

        void add(Cfg cfg, Block b, int c) {
            blocks.add(b);
            blockCost += c;
        }
    }

    /** The estimated size of a region method holding {@code blocks} (whose own costs add up to {@code blockCost}). */
    static int regionCost(Cfg cfg, List<Block> blocks, int blockCost) {
        Set<Integer> starts = new HashSet<>();
        Set<Integer> out = new HashSet<>();
        for (Block b : blocks) {
            starts.add(b.start());
        }
        for (Block b : blocks) {
            for (int s : cfg.successors(b)) {
                if (s != cfg.fallOff && !starts.contains(s)) {
                    out.add(s);
                }
            }
        }
        return Estimate.REGION_OVERHEAD + blockCost + Estimate.STUB * out.size() + Estimate.REGION_ENTRY * blocks.size();
    }

    static int cost(Cfg cfg, Block b) {
        int c = Estimate.BLOCK_OVERHEAD;
        for (int pc : b.pcs()) {
            c += Estimate.of(cfg.code.at(pc));
        }
        return c;
    }
}
