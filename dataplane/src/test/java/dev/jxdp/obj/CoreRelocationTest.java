package dev.jxdp.obj;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jxdp.isa.Call;
import dev.jxdp.isa.CallKind;
import dev.jxdp.obj.btf.BtfExt;
import dev.jxdp.obj.core.CoreKind;
import dev.jxdp.obj.core.CoreResolver;
import dev.jxdp.testing.Clang;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CO-RE relocations of programs/bin/xdp_core_ctx_probe.o. The kernel (Linux 6.18, libbpf 1.1 via
 * bpftool) resolved them to facts [1, 4, 0, 1, 14, 1, 3, 5] on udp64 and tagged the program
 * db1a0078e11f9f49: the same tag means jxdp patched every instruction exactly as libbpf did.
 */
class CoreRelocationTest {
    @TempDir
    Path dir;

    @Test
    void patchedProgramHasTheKernelsTag() {
        ProgramSpec p = Corpus.load("xdp_core_ctx_probe").programs().getFirst();
        assertEquals("db1a0078e11f9f49", p.tag());
        assertEquals(List.of(), p.unresolvedCore());
    }

    @Test
    void eachRelocationResolvesAsTheKernelDid() {
        ObjectSpec o = Corpus.load("xdp_core_ctx_probe");
        CoreResolver resolver = new CoreResolver(o.btf(), o.btf(), true);
        Map<String, Long> got = new LinkedHashMap<>();
        for (BtfExt.CoreRelocation r : o.btfExt().coreRelocations().get("xdp")) {
            CoreResolver.Result res = resolver.resolve(r.typeId(), r.accessSpec(), CoreKind.of(r.kind()));
            got.merge(res.description().replaceAll("\\[\\d+\\] ", ""), res.newValue(), (a, b) -> a);
        }
        // ctx->data and ctx->data_end: offsets 0 and 4 of struct xdp_md (uapi)
        assertEquals(0L, got.get("<byte_off> struct xdp_md (0:0)"));
        assertEquals(4L, got.get("<byte_off> struct xdp_md (0:1)"));
        assertEquals(1L, got.get("<field_exists> struct xdp_md (0:4)"), "rx_queue_index");
        assertEquals(4L, got.get("<byte_sz> struct xdp_md (0:3)"), "ingress_ifindex");
        assertEquals(0L, got.get("<field_exists> struct xdp_md___future (0:1)"), "rx_hash_type is not in xdp_md");
        assertEquals(1L, got.get("<type_exists> struct xdp_md (0)"));
        assertEquals(14L, got.get("<type_size> struct ethhdr (0)"));
        assertEquals(1L, got.get("<enumval_exists> enum xdp_action (4)"), "XDP_REDIRECT");
        assertEquals(3L, got.get("<enumval_value> enum xdp_action (3)"), "XDP_TX");
        // ihl: bits 0..3 of the first byte (little-endian bitfield): one byte, shifted up 60 and down 60
        assertEquals(0L, got.get("<byte_off> struct iphdr (0:0)"));
        assertEquals(1L, got.get("<byte_sz> struct iphdr (0:0)"));
        assertEquals(60L, got.get("<lshift_u64> struct iphdr (0:0)"));
        assertEquals(60L, got.get("<rshift_u64> struct iphdr (0:0)"));
        assertEquals(0L, got.get("<signed> struct iphdr (0:0)"));
    }

    private static final String UNGUARDED = """
            #pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)
            #include <linux/bpf.h>
            #pragma clang attribute pop
            #include <bpf/bpf_helpers.h>
            #include <bpf/bpf_core_read.h>
            struct xdp_md___future { __u32 data; __u32 rx_hash_type; } __attribute__((preserve_access_index));
            SEC("xdp") int reads_missing(struct xdp_md *ctx) {
                if (bpf_core_field_exists(((struct xdp_md___future *)ctx)->rx_hash_type))
                    return ((struct xdp_md___future *)ctx)->rx_hash_type;
                return XDP_PASS;
            }
            char _license[] SEC("license") = "GPL";
            """;

    @Test
    void unresolvableRelocationIsRefusedOrPoisoned() throws Exception {
        assumeTrue(Clang.clang().isPresent(), Clang.missingReason());
        Path obj = Clang.compile(dir, "unguarded", UNGUARDED);
        byte[] bytes = Files.readAllBytes(obj);
        var e = assertThrows(ProgramRefusedException.class, () -> ObjectLoader.load("unguarded.o", bytes, LoadOptions.defaults()));
        assertEquals("xdp", e.section());
        assertTrue(e.problem().contains("cannot resolve CO-RE relocation"), e.getMessage());
        assertTrue(e.problem().contains("xdp_md___future"), e.getMessage());

        ProgramSpec p = ObjectLoader.load("unguarded.o", bytes, LoadOptions.defaults().withAllowUnresolvedCore(true)).programs().getFirst();
        assertEquals(1, p.unresolvedCore().size());
        int pc = p.unresolvedCore().getFirst().insn();
        assertEquals(new Call(CallKind.HELPER, 0xbad2310), p.code().at(pc), "libbpf's poison: call 0xbad2310");
    }
}
