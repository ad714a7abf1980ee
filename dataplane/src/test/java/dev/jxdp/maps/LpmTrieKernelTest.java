package dev.jxdp.maps;

import static dev.jxdp.maps.Differential.u32;

import dev.jxdp.obj.MapType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * LPM tries against the kernel: longest-prefix lookups, the full/exists/absent errors and the
 * get_next_key order (postorder over the kernel's trie shape, so it checks the shape too).
 */
class LpmTrieKernelTest {

    /** struct bpf_lpm_trie_key_u8 for IPv4: prefixlen (host order), then the address big-endian. */
    static byte[] v4(int prefixlen, int a, int b, int c, int d) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(prefixlen)
                .put((byte) a).put((byte) b).put((byte) c).put((byte) d).array();
    }

    static byte[] v6(int prefixlen, byte[] address) {
        return ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN).putInt(prefixlen).put(address).array();
    }

    private static MapDefinition trie(int keySize, int max) {
        return MapDefinition.of("jxdp_lpm", MapType.LPM_TRIE, keySize, 4, max).withFlags(MapFlags.NO_PREALLOC);
    }

    @Test
    void theExampleOfLpmTrieC() {
        // The four nodes of the comment at the top of kernel/bpf/lpm_trie.c, and lookups around them.
        Differential.same(trie(8, 16), m -> new Differential.Lines()
                .add("empty next", m.nextKey(null))
                .add("192.168.0.0/16", m.update(v4(16, 192, 168, 0, 0), u32(1), MapFlags.ANY))
                .add("192.168.0.0/24", m.update(v4(24, 192, 168, 0, 0), u32(2), MapFlags.ANY))
                .add("192.168.128.0/24", m.update(v4(24, 192, 168, 128, 0), u32(3), MapFlags.ANY))
                .add("192.168.1.0/24", m.update(v4(24, 192, 168, 1, 0), u32(5), MapFlags.ANY))
                .add("keys", m.keys())
                .add("lookup 192.168.1.1", m.lookup(v4(32, 192, 168, 1, 1)))
                .add("lookup 192.168.0.9", m.lookup(v4(32, 192, 168, 0, 9)))
                .add("lookup 192.168.200.1", m.lookup(v4(32, 192, 168, 200, 1)))
                .add("lookup 192.168.128.7", m.lookup(v4(32, 192, 168, 128, 7)))
                .add("lookup 10.0.0.1", m.lookup(v4(32, 10, 0, 0, 1)))
                .add("lookup prefixlen 20", m.lookup(v4(20, 192, 168, 1, 1)))
                .add("lookup prefixlen 33", m.lookup(v4(33, 192, 168, 1, 1)))
                .add("the intermediate /23 is no entry", m.lookup(v4(23, 192, 168, 0, 0)))
                .add("delete /23 (intermediate)", m.delete(v4(23, 192, 168, 0, 0)))
                .add("turn the intermediate into an entry", m.update(v4(23, 192, 168, 0, 0), u32(4), MapFlags.ANY))
                .add("keys", m.keys())
                .add("delete /16 (two children)", m.delete(v4(16, 192, 168, 0, 0)))
                .add("lookup 192.168.200.1", m.lookup(v4(32, 192, 168, 200, 1)))
                .add("delete 192.168.0.0/24", m.delete(v4(24, 192, 168, 0, 0)))
                .add("keys", m.keys())
                .add("delete again", m.delete(v4(24, 192, 168, 0, 0)))
                .add("delete /33", m.delete(v4(33, 192, 168, 0, 0)))
                .lines);
    }

    @Test
    void flagsAndFullTrie() {
        Differential.same(trie(8, 2), m -> new Differential.Lines()
                .add("exist on absent", m.update(v4(8, 10, 0, 0, 0), u32(1), MapFlags.EXIST))
                .add("noexist", m.update(v4(8, 10, 0, 0, 0), u32(1), MapFlags.NOEXIST))
                .add("noexist again", m.update(v4(8, 10, 0, 0, 0), u32(1), MapFlags.NOEXIST))
                .add("exist", m.update(v4(8, 10, 0, 0, 0), u32(2), MapFlags.EXIST))
                .add("second", m.update(v4(16, 10, 1, 0, 0), u32(3), MapFlags.ANY))
                .add("full", m.update(v4(16, 10, 2, 0, 0), u32(4), MapFlags.ANY))
                .add("replace when full", m.update(v4(16, 10, 1, 0, 0), u32(5), MapFlags.ANY))
                .add("lookup", m.lookup(v4(32, 10, 1, 2, 3)))
                .add("flags 3", m.update(v4(8, 10, 0, 0, 0), u32(1), 3))
                .add("prefixlen 33", m.update(v4(33, 10, 0, 0, 0), u32(1), MapFlags.ANY))
                .add("lookup and delete", m.lookupAndDelete(v4(8, 10, 0, 0, 0)))
                .add("next of absent", m.nextKey(v4(12, 99, 0, 0, 0)))
                .add("next of bad prefixlen", m.nextKey(v4(40, 10, 0, 0, 0)))
                .lines);
    }

    @Test
    void randomPrefixesAgree() {
        Differential.same(trie(8, 200), m -> {
            // The same sequence on each side.
            Random r = new Random(3);
            Differential.Lines l = new Differential.Lines();
            for (int i = 0; i < 400; i++) {
                int len = r.nextInt(33);
                byte[] key = v4(len, 10 + r.nextInt(2), r.nextInt(4), r.nextInt(256), r.nextInt(256));
                switch (r.nextInt(5)) {
                    case 0, 1 -> l.add("update", m.update(key, u32(i), r.nextInt(3)));
                    case 2 -> l.add("delete", m.delete(key));
                    case 3 -> l.add("lookup", m.lookup(v4(32, 10 + r.nextInt(2), r.nextInt(4), r.nextInt(256), r.nextInt(256))));
                    default -> l.add("next", m.nextKey(key));
                }
            }
            return l.add("keys", m.keys()).lines;
        });
    }

    @Test
    void ipv6() {
        byte[] a = new byte[16];
        a[0] = 0x20;
        a[1] = 0x01;
        a[2] = 0x0d;
        a[3] = (byte) 0xb8;
        byte[] b = a.clone();
        b[15] = 1;
        byte[] c = a.clone();
        c[7] = (byte) 0x80;
        Differential.same(trie(20, 8), m -> new Differential.Lines()
                .add("2001:db8::/32", m.update(v6(32, a), u32(32), MapFlags.ANY))
                .add("2001:db8::/64", m.update(v6(64, a), u32(64), MapFlags.ANY))
                .add("2001:db8::1/128", m.update(v6(128, b), u32(128), MapFlags.ANY))
                .add("lookup ::1", m.lookup(v6(128, b)))
                .add("lookup 2001:db8:0:80::", m.lookup(v6(128, c)))
                .add("keys", m.keys())
                .lines);
    }
}
