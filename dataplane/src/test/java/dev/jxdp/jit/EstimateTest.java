package dev.jxdp.jit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jxdp.exec.Helpers;
import dev.jxdp.isa.Bytecode;
import dev.jxdp.testing.Repo;
import java.lang.constant.ClassDesc;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The {@link Splitter} decides methods from {@link Estimate}'s figures before anything is built, so
 * they must bound the real code: for random programs and the corpus, every function method and every
 * region method (with each block a region of its own, so each estimate is checked in isolation) is
 * no larger than its estimate.
 */
class EstimateTest {
    private static final java.lang.foreign.Arena ARENA = java.lang.foreign.Arena.ofAuto();

    @Test
    void estimatesBoundTheGeneratedMethods() {
        List<Bytecode> programs = new ArrayList<>();
        Random random = new Random(8000);
        for (int i = 0; i < 300; i++) {
            programs.add(ProgramGenerator.generate(random, random.nextBoolean()));
        }
        for (var object : Repo.programObjects()) {
            if (!object.getFileName().toString().equals("xdp_payload_crc32.o")) {
                for (var p : ObjectHarness.programs(object)) {
                    // Only the code's shape matters here; the arena's addresses are never dereferenced.
                    programs.add(ObjectHarness.Instance.of(p, ARENA).code());
                }
            }
        }
        int checked = 0;
        double worst = 0;
        for (Bytecode code : programs) {
            for (boolean split : new boolean[] {false, true}) {
                Map<String, Integer> estimates = estimates(code, split);
                JitProgram p = split ? new Jit(0, 1).prepare(code, Helpers.none()) : new Jit().prepare(code, Helpers.none());
                for (JitProgram.Method m : p.methods()) {
                    Integer estimate = estimates.get(m.name());
                    if (estimate != null) {
                        assertTrue(m.bytecodeSize() <= estimate, m + " is larger than its estimate " + estimate);
                        worst = Math.max(worst, (double) m.bytecodeSize() / estimate);
                        checked++;
                    }
                }
            }
        }
        System.out.printf("estimates: %d methods checked, the tightest at %.0f%% of its estimate%n", checked, worst * 100);
    }

    /** Method name -> estimate, computed as the splitter computes it. */
    private static Map<String, Integer> estimates(Bytecode code, boolean split) {
        Unit unit = new Unit(code, Helpers.none(), ProgramFacts.unverified(), ClassDesc.of("dev.jxdp.jit.Program"),
                split ? 0 : Estimate.SINGLE_METHOD, split ? 1 : Estimate.REGION);
        Map<String, Integer> map = new HashMap<>();
        for (FunctionPlan f : unit.functions.values()) {
            if (f.split()) {
                for (RegionPlan r : f.regions()) {
                    int blocks = r.blocks().stream().mapToInt(b -> Splitter.cost(unit.cfg, b)).sum();
                    map.put(f.regionName(r.index()), Splitter.regionCost(unit.cfg, r.blocks(), blocks));
                }
            } else {
                map.put(f.methodName(), Estimate.FUNCTION_OVERHEAD
                        + f.blocks().stream().mapToInt(b -> Splitter.cost(unit.cfg, b)).sum());
            }
        }
        return map;
    }
}
