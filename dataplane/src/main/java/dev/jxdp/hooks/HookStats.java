package dev.jxdp.hooks;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a hook of a port did, summed over the workers: how many times its programs ran (per packet
 * at the hook, whatever the chain's length) and how often each verdict came out, by the kernel's
 * names (XDP_PASS, TC_ACT_SHOT ...; "other" for values that are no action).
 */
public record HookStats(Hook hook, long runs, Map<String, Long> verdicts) {
    public HookStats {
        // In the order given (the pipeline gives verdict order: XDP_ABORTED, XDP_DROP, XDP_PASS, ...):
        // Map.copyOf's order changes from one JVM to the next, and so did replay's summary line.
        verdicts = Collections.unmodifiableMap(new LinkedHashMap<>(verdicts));
    }

    /** The count for one verdict name (0 if it never came out). */
    public long count(String verdict) {
        return verdicts.getOrDefault(verdict, 0L);
    }
}
