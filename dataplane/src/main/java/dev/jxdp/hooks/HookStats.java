package dev.jxdp.hooks;

import java.util.Map;

/**
 * What a hook of a port did, summed over the workers: how many times its programs ran (per packet
 * at the hook, whatever the chain's length) and how often each verdict came out, by the kernel's
 * names (XDP_PASS, TC_ACT_SHOT ...; "other" for values that are no action).
 */
public record HookStats(Hook hook, long runs, Map<String, Long> verdicts) {
    public HookStats {
        verdicts = Map.copyOf(verdicts);
    }

    /** The count for one verdict name (0 if it never came out). */
    public long count(String verdict) {
        return verdicts.getOrDefault(verdict, 0L);
    }
}
