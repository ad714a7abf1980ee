package dev.jxdp.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HookStatsTest {
    @Test
    void verdictsKeepTheOrderTheyWereGivenIn() {
        // the XDP actions in their uapi order (ABORTED 0 .. REDIRECT 4), as the pipeline counts them
        List<String> order = List.of("XDP_ABORTED", "XDP_DROP", "XDP_PASS", "XDP_TX", "XDP_REDIRECT");
        Map<String, Long> given = new LinkedHashMap<>();
        for (int i = 0; i < order.size(); i++) {
            given.put(order.get(i), (long) i + 1);
        }
        HookStats s = new HookStats(Hook.XDP, 15, given);
        assertEquals(order, List.copyOf(s.verdicts().keySet()));
        assertEquals(3, s.count("XDP_PASS"));
        assertEquals(0, s.count("XDP_UNKNOWN"));
    }
}
