package dev.jxdp.maps;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jxdp.obj.MapType;
import org.junit.jupiter.api.Test;

/**
 * BPF_MAP_CREATE's checks: the same definitions refused (with the same errno) or accepted by jxdp and
 * by the kernel. The expected column is what Linux 6.18 answered when this was written; the test
 * compares with the running kernel too.
 */
class CreateKernelTest {

    private static void expect(String expected, MapType type, int key, int value, int max, int flags) {
        expect(expected, MapDefinition.of("jxdp_create", type, key, value, max).withFlags(flags));
    }

    private static void expect(String expected, MapDefinition d) {
        assertEquals(expected, Differential.create(d), d.toString());
    }

    @Test
    void arrays() {
        expect("ok", MapType.ARRAY, 4, 8, 1, 0);
        expect("EINVAL", MapType.ARRAY, 8, 8, 1, 0);
        expect("EINVAL", MapType.ARRAY, 4, 0, 1, 0);
        expect("EINVAL", MapType.ARRAY, 4, 8, 0, 0);
        expect("EINVAL", MapType.ARRAY, 4, 8, 1, MapFlags.NO_PREALLOC);
        expect("EINVAL", MapType.ARRAY, 4, 8, 1, MapFlags.RDONLY_PROG | MapFlags.WRONLY_PROG);
        expect("ok", MapType.ARRAY, 4, 8, 1, MapFlags.MMAPABLE | MapFlags.RDONLY_PROG);
        expect("EINVAL", MapType.PERCPU_ARRAY, 4, 8, 1, MapFlags.MMAPABLE);
        expect("ok", MapType.PERCPU_ARRAY, 4, 32768, 1, 0);
        expect("E2BIG", MapType.PERCPU_ARRAY, 4, 32769, 1, 0);
    }

    @Test
    void hashes() {
        expect("ok", MapType.HASH, 4, 8, 1, 0);
        expect("EINVAL", MapType.HASH, 0, 8, 1, 0);
        expect("EINVAL", MapType.HASH, 4, 0, 1, 0);
        expect("EINVAL", MapType.HASH, 4, 8, 0, 0);
        expect("EINVAL", MapType.HASH, 4, 8, 1, MapFlags.NO_COMMON_LRU);
        expect("EINVAL", MapType.HASH, 4, 8, 1, MapFlags.MMAPABLE);
        expect("ok", MapType.HASH, 4, 8, 1, MapFlags.NO_PREALLOC | MapFlags.ZERO_SEED);
        expect("ENOTSUPP", MapType.LRU_HASH, 4, 8, 1, MapFlags.NO_PREALLOC);
        expect("ok", MapType.LRU_HASH, 4, 8, 1, MapFlags.NO_COMMON_LRU);
        expect("E2BIG", MapType.HASH, 4 << 20, 8, 1, 0);
        expect("E2BIG", MapType.PERCPU_HASH, 4, 32769, 1, 0);
    }

    @Test
    void others() {
        expect("EINVAL", MapType.LPM_TRIE, 8, 8, 1, 0);
        expect("ok", MapType.LPM_TRIE, 8, 8, 1, MapFlags.NO_PREALLOC);
        expect("EINVAL", MapType.LPM_TRIE, 4, 8, 1, MapFlags.NO_PREALLOC);
        expect("EINVAL", MapType.LPM_TRIE, 261, 8, 1, MapFlags.NO_PREALLOC);
        expect("ok", MapType.LPM_TRIE, 260, 8, 1, MapFlags.NO_PREALLOC);
        expect("ok", MapType.RINGBUF, 0, 0, 4096, 0);
        expect("EINVAL", MapType.RINGBUF, 0, 0, 4095, 0);
        expect("EINVAL", MapType.RINGBUF, 0, 0, 12288, 0);
        expect("EINVAL", MapType.RINGBUF, 4, 0, 4096, 0);
        expect("ok", MapType.QUEUE, 0, 8, 4, 0);
        expect("EINVAL", MapType.QUEUE, 4, 8, 4, 0);
        expect("EINVAL", MapType.STACK, 0, 0, 4, 0);
        expect("ok", MapType.BLOOM_FILTER, 0, 8, 100, 0);
        expect("EINVAL", MapType.BLOOM_FILTER, 4, 8, 100, 0);
        expect("EINVAL", MapDefinition.of("jxdp_create", MapType.BLOOM_FILTER, 0, 8, 100).withMapExtra(16));
        expect("ok", MapDefinition.of("jxdp_create", MapType.BLOOM_FILTER, 0, 8, 100).withMapExtra(15));
        expect("ok", MapType.PROG_ARRAY, 4, 4, 4, 0);
        expect("EINVAL", MapType.PROG_ARRAY, 4, 8, 4, 0);
        expect("EINVAL", MapType.PROG_ARRAY, 4, 4, 4, MapFlags.RDONLY_PROG);
        expect("ok", MapType.PERF_EVENT_ARRAY, 4, 4, 2, MapFlags.PRESERVE_ELEMS);
        expect("ok", MapType.DEVMAP, 4, 8, 4, 0);
        expect("EINVAL", MapType.DEVMAP, 4, 12, 4, 0);
        expect("EINVAL", MapType.DEVMAP, 4, 4, 4, MapFlags.RDONLY_PROG);
        expect("ok", MapType.DEVMAP_HASH, 4, 4, 4, 0);
        expect("ok", MapType.CPUMAP, 4, 4, 4, 0);
        expect("EINVAL", MapType.CPUMAP, 4, 12, 4, 0);
        expect("ok", MapType.CPUMAP, 4, 4, 256, 0);
        expect("E2BIG", MapType.CPUMAP, 4, 4, 257, 0); // NR_CPUS of this kernel's config
        expect("ok", MapType.XSKMAP, 4, 4, 4, 0);
        expect("EINVAL", MapType.XSKMAP, 4, 8, 4, 0);
    }
}
