package dev.jxdp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code prog dump --linum}: the shape of {@code bpftool prog dump xlated id N linum}, whose output for
 * the kernel-loaded xdp_subprog_udp_filter begins
 * <pre>
 * int xdp_udp_port_filter(struct xdp_md * ctx):
 * ; void *data_end = (void *)(long)ctx->data_end; [file:./src/xdp_subprog_udp_filter.c line_num:78 line_col:38]
 *    0: (79) r8 = *(u64 *)(r1 +8)
 * </pre>
 * (the kernel has rewritten the context load; jxdp shows it as loaded).
 */
class ProgDumpLinkedTest {

    @Test
    void linumInterleavesSourceLikeBpftool() {
        Cli r = Cli.run("prog", "dump", "--linum", Cli.object("xdp_subprog_udp_filter"));
        assertEquals(0, r.status(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals("int xdp_udp_port_filter(struct xdp_md * ctx):", lines.get(0));
        assertEquals("; void *data_end = (void *)(long)ctx->data_end; [file:./src/xdp_subprog_udp_filter.c line_num:78 line_col:38]",
                lines.get(1));
        assertEquals("   0: r8 = *(u32 *)(r1 + 0x4)", lines.get(2));
        assertTrue(lines.contains("   8: call pc+0x1c <parse_eth>"), r.out());
        assertTrue(lines.contains("int parse_eth(void * data, void * data_end, __u32 * off):"), r.out());
        // The kernel's dump has source lines at these instructions of the main function.
        List<Integer> withSource = List.of(0, 1, 3, 6, 12, 15, 20, 21, 22, 24, 26, 27, 29, 36);
        for (int pc : withSource) {
            int at = indexOfInsn(lines, pc);
            assertTrue(lines.get(at - 1).startsWith("; "), "source line before insn " + pc);
        }
    }

    private static int indexOfInsn(List<String> lines, int pc) {
        String prefix = String.format("%4d: ", pc);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        throw new AssertionError("no insn " + pc);
    }

    @Test
    void withoutLinumSourceLinesStayButLocationsGo() {
        Cli r = Cli.run("prog", "dump", "--name", "xdp_dispatch", Cli.object("xdp_tailcall_dispatch"));
        assertTrue(r.out().contains("; bpf_tail_call(ctx, &l4_policy, proto);\n"), r.out());
        assertTrue(r.out().contains("ld_pseudo\tr2, 0x1, 0x0 <l4_policy>"), r.out());
        assertTrue(r.out().contains("call 0xc <bpf_tail_call>"), r.out());
        assertTrue(!r.out().contains("xdp_icmp_policy("), "only the named program");
    }

    @Test
    void sectionSelectsEveryProgramOfIt() {
        Cli r = Cli.run("prog", "dump", "--section", "xdp", Cli.object("xdp_tailcall_dispatch"));
        for (String name : List.of("xdp_icmp_policy", "xdp_tcp_policy", "xdp_udp_policy", "xdp_dispatch")) {
            assertTrue(r.out().contains("int " + name + "(struct xdp_md * ctx):"), name);
        }
    }

    @Test
    void jsonDump() throws Exception {
        JsonNode prog = new ObjectMapper().readTree(Cli.run("-j", "prog", "dump", "--linum", Cli.object("xdp_pass")).out()).get(0);
        JsonNode first = prog.get("insns").get(0);
        assertEquals("int xdp_pass(struct xdp_md * ctx)", first.get("proto").asText());
        assertEquals("r0 = 0x2", first.get("disasm").asText());
        assertEquals("return XDP_PASS;", first.get("src").asText());
        assertEquals(15, first.get("line_num").asInt());
    }

    @Test
    void noSuchProgram() {
        Cli r = Cli.run("prog", "dump", "--name", "nope", Cli.object("xdp_pass"));
        assertEquals(1, r.status());
        assertTrue(r.err().contains("no program named 'nope' (programs: xdp_pass [xdp])"), r.err());
    }

    @Test
    void objdumpFormatStaysTheDefault() {
        Cli r = Cli.run("prog", "dump", Cli.object("xdp_pass"));
        assertTrue(r.out().contains("Disassembly of section xdp:"), r.out());
    }
}
