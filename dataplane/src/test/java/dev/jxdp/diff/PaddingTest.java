package dev.jxdp.diff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.jxdp.obj.LoadOptions;
import dev.jxdp.obj.MapSpec;
import dev.jxdp.obj.ObjectLoader;
import dev.jxdp.obj.ObjectSpec;
import dev.jxdp.testing.Repo;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Which map value bytes are struct padding, from the BTF of objects in programs/bin. */
class PaddingTest {
    private static MapSpec map(ObjectSpec o, String name) {
        return o.maps().stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void theHoleAfterTwoShortsBeforeAnS64IsPadding() throws Exception {
        ObjectSpec o = ObjectLoader.load(Repo.root().resolve("programs/bin/tc_rtp_jitter.o"), LoadOptions.defaults());
        // struct rtp_stream (programs/src/tc_rtp_jitter.c), x86-64/BPF alignment: packets 0-7, drift_sum 8-15,
        // drift_avg 16-23, jitter_q4 24-27, last_transit 28-31, last_seq 32-33, worst_reorder 34-35,
        // [36-39 padding: ttl_shift is 8-aligned], ttl_shift 40-47, last_ttl 48, pad[7] 49-55.
        boolean[] expected = new boolean[56];
        Arrays.fill(expected, true);
        Arrays.fill(expected, 36, 40, false);
        assertArrayEquals(expected, Padding.of(o, map(o, "streams")));
    }

    @Test
    void valuesWithoutHolesOrWithoutAStructHaveNone() throws Exception {
        ObjectSpec o = ObjectLoader.load(Repo.root().resolve("programs/bin/xdp_token_bucket_atomic.o"), LoadOptions.defaults());
        assertNull(Padding.of(o, map(o, "buckets")), "struct bucket: four __u32");
        ObjectSpec legacy = ObjectLoader.load(Repo.root().resolve("programs/bin/xdp_legacy_ethertype_filter.o"), LoadOptions.defaults());
        assertNull(Padding.of(legacy, map(legacy, "ethertype_count")), "no BTF for legacy maps");
    }
}
