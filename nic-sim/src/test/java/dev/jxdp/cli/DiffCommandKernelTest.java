package dev.jxdp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jxdp.diff.DiffRunner;
import dev.jxdp.kernel.KernelComparisons;
import dev.jxdp.testing.Clang;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jxdp diff} and {@code jxdp verify --kernel}. Packet counts are those of pcap-corpus/README.md;
 * the mutant's difference is the kernel's verdict on a DNS query (port 53 is open in
 * xdp_subprog_udp_filter.c, so the kernel passes it) against the wrong JIT's.
 */
class DiffCommandKernelTest {
    @TempDir
    Path tmp;

    private static void assumeKernel() {
        String reason = DiffRunner.unavailableReason();
        KernelComparisons.assume(reason == null, reason);
    }

    private static String capture(String name) {
        return Cli.root().resolve("pcap-corpus/" + name).toString();
    }

    @Test
    void aCaptureThroughBothSidesShowsNoDifference() throws Exception {
        assumeKernel();
        Cli r = Cli.run("diff", Cli.object("xdp_ipv4_filter"), capture("icmp-ping.pcap"));
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().endsWith("12 packets, 0 differences\n"), r.out());
        Cli j = Cli.run("-j", "diff", Cli.object("xdp_tc_meta_handoff") + ":tc", capture("udp-dns.pcap"));
        assertEquals(0, j.status(), j.out() + j.err());
        JsonNode json = new ObjectMapper().readTree(j.out());
        assertEquals("tc_meta_to_mark", json.get("program").asText());
        assertEquals(6, json.get("packets").asInt());
        assertEquals(0, json.get("differences").asInt());
    }

    @Test
    void mapsStartFromTheSameEntriesOnBothSides() throws Exception {
        assumeKernel();
        // 10.99.0.0/24 (the corpus's addresses) blocked as rule 7: an LPM key is the prefix length, then the address.
        Path maps = tmp.resolve("maps.json");
        Files.writeString(maps, "{\"blocklist\": [{\"key\": [\"0x18\",\"0x00\",\"0x00\",\"0x00\",\"0x0a\",\"0x63\",\"0x00\",\"0x00\"],"
                + " \"value\": [\"0x07\",\"0x00\",\"0x00\",\"0x00\"]}]}");
        Cli r = Cli.run("diff", Cli.object("xdp_lpm_blocklist"), capture("icmp-ping.pcap"), "--maps", maps.toString());
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().endsWith("12 packets, 0 differences\n"), r.out());
    }

    @Test
    void aWrongJitIsCaughtWithThePacketAndThePlace() {
        assumeKernel();
        System.setProperty("jxdp.test.mutant", "signed-compare");
        Cli r;
        try {
            r = Cli.run("diff", Cli.object("xdp_subprog_udp_filter"), capture("udp-dns.pcap"));
        } finally {
            System.clearProperty("jxdp.test.mutant");
        }
        assertEquals(1, r.status(), r.out() + r.err());
        assertTrue(r.out().startsWith("packet 3: retval differs\n"), r.out());
        assertTrue(r.out().contains("  kernel: 2 (XDP_PASS)\n"), r.out());
        assertTrue(r.out().contains("[./src/xdp_subprog_udp_filter.c:"), "source lines in the report:\n" + r.out());
        assertEquals("Error: jxdp and the kernel differ: packet 3, retval\n", r.err());
    }

    @Test
    void aProgramThatDrawsRandomNumbersIsComparedUpToTheFirstDraw() {
        assumeKernel();
        // xdp_ringbuf_sampler.c calls bpf_get_prandom_u32() first thing on every packet: nothing can be compared.
        Cli r = Cli.run("diff", Cli.object("xdp_ringbuf_sampler"), capture("udp-dns.pcap"));
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("drew a random number (bpf_get_prandom_u32)"), r.out());
        assertTrue(r.out().endsWith("6 packets, 0 differences (0 compared: see the notes)\n"), r.out());
    }

    @Test
    void badInputIsOneLine() {
        Cli missing = Cli.run("diff", Cli.object("xdp_pass"), tmp.resolve("none.pcap").toString());
        assertEquals(1, missing.status());
        assertTrue(missing.err().startsWith("Error: ") && missing.err().lines().count() == 1, missing.err());
        Cli many = Cli.run("diff", Cli.object("xdp_tailcall_dispatch"), capture("udp-dns.pcap"));
        assertEquals(1, many.status());
        assertTrue(many.err().contains("choose one with OBJ:SECTION or --name"), many.err());
        Cli section = Cli.run("diff", Cli.object("xdp_tailcall_dispatch") + ":xdp", capture("udp-dns.pcap"));
        assertEquals(1, section.status());
        assertEquals("Error: " + Cli.object("xdp_tailcall_dispatch") + " section xdp has 4 programs (xdp_icmp_policy, xdp_tcp_policy,"
                + " xdp_udp_policy, xdp_dispatch): choose one with --name\n", section.err());
        Cli noMap = Cli.run("diff", Cli.object("xdp_pass"), capture("udp-dns.pcap"), "--maps", "nosuch=" + capture("udp-dns.pcap"));
        assertEquals(1, noMap.status());
        assertTrue(noMap.err().startsWith("Error: "), noMap.err());
        assertEquals(2, Cli.run("diff", Cli.object("xdp_pass")).status(), "a missing capture is a usage error");
    }

    @Test
    void verifyKernelShowsBothVerdicts() throws Exception {
        assumeKernel();
        Cli ok = Cli.run("verify", "--kernel", Cli.object("xdp_tailcall_dispatch"));
        assertEquals(0, ok.status(), ok.out() + ok.err());
        assertTrue(ok.out().contains("xdp_dispatch: jxdp accepted | kernel accepted\n"), ok.out());
        KernelComparisons.assume(Clang.clang().isPresent(), Clang.missingReason());
        // Reads the packet without checking data_end: refused by both, for the same reason.
        Path bad = Clang.compile(tmp, "unchecked", """
                #include <linux/bpf.h>
                #include <bpf/bpf_helpers.h>
                SEC("xdp")
                int xdp_unchecked(struct xdp_md *ctx)
                {
                \treturn *(unsigned char *)(long)ctx->data;
                }
                char LICENSE[] SEC("license") = "GPL";
                """);
        Cli refused = Cli.run("verify", "--kernel", bad.toString());
        assertEquals(1, refused.status(), refused.out() + refused.err());
        assertTrue(refused.out().contains("xdp_unchecked: jxdp refused: invalid access to packet, off=0 size=1, R1(id=0,off=0,r=0)"
                + " | kernel refused: invalid access to packet, off=0 size=1, R1(id=0,off=0,r=0)\n"), refused.out());
    }

    @Test
    void verifyKernelLoadsCasesAndObjectsLibbpfRefusesThroughBpf() throws Exception {
        assumeKernel();
        String asm = Cli.root().resolve("programs/verifier/asm").toString();
        Cli accepted = Cli.run("verify", "--kernel", asm + "/ok-adjust-meta-recheck.s");
        assertEquals(0, accepted.status(), accepted.out() + accepted.err());
        assertTrue(accepted.out().contains("ok-adjust-meta-recheck.s: jxdp accepted | kernel accepted\n"), accepted.out());
        // the case records the kernel's error line in its header; both verifiers must say it
        String error = "R2 type=ctx expected=fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf, trusted_ptr_";
        Cli refused = Cli.run("verify", "--kernel", asm + "/bad-helper-arg-type.s");
        assertEquals(1, refused.status(), refused.out() + refused.err());
        assertTrue(refused.out().contains("bad-helper-arg-type.s: jxdp refused: " + error + " | kernel refused: " + error + "\n"),
                refused.out());
        // legacy `maps` section: bpftool prog loadall cannot open it, bpf() loads it as jxdp links it
        Cli legacy = Cli.run("verify", "--kernel", Cli.object("xdp_legacy_ethertype_filter"));
        assertEquals(0, legacy.status(), legacy.out() + legacy.err());
        assertTrue(legacy.out().contains("xdp_ethertype_filter: jxdp accepted | kernel accepted\n"), legacy.out());
    }
}
