package dev.jxdp.jit;

import static java.lang.constant.ConstantDescs.CD_long;

import java.lang.constant.ClassDesc;
import java.lang.constant.MethodTypeDesc;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How one function (entered at slot {@code entry}) becomes JVM methods: one method
 * {@code f<entry>(JitRun rt, long r10, long live-in registers...) -> r0}, or, when it is too large,
 * that method as a dispatcher over region methods ({@link #regions()} not empty).
 *
 * @param blocks the function's blocks in slot order
 * @param liveIn bit mask of the registers passed in, in ascending register order
 * @param r0Checks exits that must check at run time that r0 was written
 * @param regions empty for a single method
 * @param regionOf the region index of each block start (split functions only)
 */
record FunctionPlan(int entry, List<Block> blocks, int liveIn, Set<Integer> r0Checks, List<RegionPlan> regions,
        Map<Integer, Integer> regionOf) {

    boolean split() {
        return !regions.isEmpty();
    }

    /** Whether r0's written-flag must be tracked: some exit cannot tell statically. */
    boolean r0Flag() {
        return !r0Checks.isEmpty();
    }

    String methodName() {
        return "f" + entry;
    }

    String regionName(int region) {
        return "f" + entry + "_" + region;
    }

    MethodTypeDesc type() {
        List<ClassDesc> params = new ArrayList<>();
        params.add(Descs.RUN);
        params.add(CD_long);
        for (int r = 0; r < 10; r++) {
            if ((liveIn & 1 << r) != 0) {
                params.add(CD_long);
            }
        }
        return MethodTypeDesc.of(CD_long, params);
    }

    /** The value a region returns to continue at block {@code start}: region index and entry index. */
    int targetId(int start) {
        int region = regionOf.get(start);
        int local = regions.get(region).entries().indexOf(start);
        if (local < 0) {
            throw new IllegalStateException("block " + start + " is not an entry of region " + region);
        }
        return region << 16 | local;
    }
}
