package dev.jxdp.obj;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jxdp.isa.Call;
import dev.jxdp.isa.CallKind;
import dev.jxdp.testing.Clang;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Objects with one particular property, compiled for the test with clang-19. */
class LinkingTest {
    @TempDir
    Path dir;

    @BeforeEach
    void needClang() {
        assumeTrue(Clang.clang().isPresent(), Clang.missingReason());
    }

    private byte[] compile(String name, String source) throws Exception {
        return Files.readAllBytes(Clang.compile(dir, name, source));
    }

    private static final String PRINTK = """
            #include <linux/bpf.h>
            #include <bpf/bpf_helpers.h>
            SEC("xdp") int says_hello(struct xdp_md *ctx) { bpf_printk("hello"); return XDP_PASS; }
            char _license[] SEC("license") = "%s";
            """;

    @Test
    void gplOnlyHelperInANonGplProgramIsRefusedAsTheVerifierRefusesIt() throws Exception {
        byte[] proprietary = compile("proprietary", PRINTK.formatted("Proprietary"));
        var e = assertThrows(ProgramRefusedException.class, () -> ObjectLoader.load("p.o", proprietary, LoadOptions.defaults()));
        assertTrue(e.problem().startsWith("cannot call GPL-restricted function from non-GPL compatible program"), e.getMessage());
        assertTrue(e.problem().contains("bpf_trace_printk#6"), e.getMessage());
        assertEquals("xdp", e.section());

        ObjectSpec dual = ObjectLoader.load("d.o", compile("dual", PRINTK.formatted("Dual MIT/GPL")), LoadOptions.defaults());
        assertTrue(dual.programs().getFirst().gplCompatible());
        assertEquals(List.of("d.rodata"), dual.maps().stream().map(MapSpec::name).toList(),
                "bpf_printk keeps its format in a static const array, so in .rodata; the object name is just 'd'");
    }

    private static final String IPROUTE2 = """
            #include <linux/bpf.h>
            #include <bpf/bpf_helpers.h>
            SEC("ingress") int police(struct __sk_buff *skb) { return skb->len > 1500 ? 2 : 0; }
            char _license[] SEC("license") = "GPL";
            """;

    @Test
    void iproute2SectionNamesNeedTheUserToNameTheType() throws Exception {
        byte[] obj = compile("iproute2", IPROUTE2);
        var e = assertThrows(UnsupportedFeatureException.class, () -> ObjectLoader.load("i.o", obj, LoadOptions.defaults()));
        assertEquals("ingress", e.section());
        assertTrue(e.problem().contains("--type"), e.getMessage());
        assertEquals(ProgramType.SCHED_CLS,
                ObjectLoader.load("i.o", obj, LoadOptions.defaults().withDefaultType(ProgramType.SCHED_CLS)).programs().getFirst().type());
        assertEquals(ProgramType.SCHED_ACT, ObjectLoader.load("i.o", obj, LoadOptions.defaults().withDefaultType(ProgramType.SCHED_CLS)
                .withSectionType("ingress", ProgramType.SCHED_ACT)).programs().getFirst().type());
    }

    private static final String STATIC_ELSEWHERE = """
            #include <linux/bpf.h>
            #include <bpf/bpf_helpers.h>
            __attribute__((section("xdp"), noinline)) static int triple(int x) { return x * 3; }
            __attribute__((section("helpers"), noinline)) static int twice(int x) { return x * 2; }
            SEC("xdp") int caller(struct xdp_md *ctx) { return triple(ctx->ingress_ifindex) + twice(ctx->rx_queue_index) > 7 ? 1 : 2; }
            char _license[] SEC("license") = "GPL";
            """;

    @Test
    void staticFunctionsOutsideTextAreLinkedAsSubprograms() throws Exception {
        ObjectSpec o = ObjectLoader.load("s.o", compile("statics", STATIC_ELSEWHERE), LoadOptions.defaults());
        assertEquals(List.of("caller"), o.programs().stream().map(ProgramSpec::name).toList(), "static functions are no programs");
        ProgramSpec p = o.programs().getFirst();
        assertEquals(List.of("caller", "triple", "twice"), p.functions().stream().map(ProgramSpec.Function::name).toList());
        assertEquals(List.of("xdp", "xdp", "helpers"), p.functions().stream().map(ProgramSpec.Function::section).toList());
        int[] calls = {0};
        p.code().forEach((insn, pc) -> {
            if (insn instanceof Call c && c.kind() == CallKind.LOCAL) {
                int target = pc + 1 + c.imm();
                assertTrue(p.functions().stream().anyMatch(f -> f.start() == target && !f.name().equals("caller")));
                calls[0]++;
            }
        });
        assertEquals(2, calls[0]);
    }
}
