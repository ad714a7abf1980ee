package dev.jxdp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jxdp.kernel.KernelComparisons;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jxdp prog run --kernel}: the same command in jxdp and in the kernel (bpftool loadall into a
 * private bpffs directory, bpftool prog run), compared by the command itself: a tail-call dispatcher
 * (which needs its pinned prog array), metadata in data_out, a tc program with ctx_in/ctx_out, a map
 * set from --maps, an object libbpf refuses (legacy maps), and what happens to a runt in both.
 */
class ProgRunKernelTest {
    @TempDir
    Path tmp;

    private static String frame(String name) {
        return Cli.root().resolve("programs/frames/" + name + ".bin").toString();
    }

    private static void assumeKernel() {
        KernelComparisons.assumeKernel();
        String reason = KernelProgRun.unavailableReason();
        KernelComparisons.assume(reason == null, reason);
    }

    private static void assertSame(Cli r, String... lines) {
        assertEquals(0, r.status(), r.out() + r.err());
        for (String l : lines) {
            assertTrue(r.out().contains(l), "expected '" + l + "' in:\n" + r.out());
        }
    }

    @Test
    void jxdpAndTheKernelAgree() throws IOException {
        assumeKernel();
        Path out = tmp.resolve("out.bin");
        for (String f : List.of("udp64", "udp_dport0", "icmp_echo")) {
            assertSame(Cli.run("prog", "run", Cli.object("xdp_tailcall_dispatch"), "--name", "xdp_dispatch", "data_in", frame(f),
                    "data_out", out.toString(), "--kernel"), "data_out: the same");
        }
        assertSame(Cli.run("prog", "run", Cli.object("xdp_tc_meta_handoff"), "--name", "xdp_store_meta", "data_in", frame("udp64"),
                "data_out", out.toString(), "repeat", "3", "--kernel"), "data_out: the same 88 bytes");
        Path ctx = tmp.resolve("ctx.bin");
        byte[] skb = new byte[192];
        skb[8] = 7;
        skb[48] = 1;
        Files.write(ctx, skb);
        assertSame(Cli.run("prog", "run", Cli.object("tc_rtp_jitter"), "data_in", frame("rtp"), "data_out", out.toString(),
                "ctx_in", ctx.toString(), "ctx_out", tmp.resolve("ctx_out.bin").toString(), "--kernel"),
                "data_out: the same", "ctx_out: the same 192 bytes");
        assertTrue(Files.exists(tmp.resolve("ctx_out.bin.kernel")), "the kernel's ctx_out beside jxdp's");
    }

    /**
     * {@code -p} lays its JSON out as bpftool's json_writer does: {@code jxdp -p prog run} and
     * {@code bpftool -p prog run} print the same bytes for the same program and frame, the duration's
     * digits aside (data_out's bytes on one line, only the closing bracket on the next).
     */
    @Test
    void prettyJsonIsBpftoolsByteForByte() throws IOException {
        assumeKernel();
        Path pin = Path.of("/sys/fs/bpf", "jxdp-pretty-" + ProcessHandle.current().pid());
        dev.jxdp.nic.testing.Cmd.run("bpftool", "prog", "load", Cli.object("xdp_pass"), pin.toString()).orFail();
        try {
            String kernel = dev.jxdp.nic.testing.Cmd.run("bpftool", "-p", "prog", "run", "pinned", pin.toString(), "data_in", frame("udp64"),
                    "data_out", "-").orFail().out();
            Cli jxdp = Cli.run("-p", "prog", "run", Cli.object("xdp_pass"), "data_in", frame("udp64"), "data_out", "-");
            assertEquals(0, jxdp.status(), jxdp.err());
            assertEquals(kernel.replaceAll("\"duration\": \\d+", "\"duration\": N"), jxdp.out().replaceAll("\"duration\": \\d+", "\"duration\": N"));
        } finally {
            Files.deleteIfExists(pin);
        }
    }

    @Test
    void mapsFromADumpGoIntoBoth() throws IOException {
        assumeKernel();
        Path maps = tmp.resolve("maps.json");
        Files.writeString(maps, "{\"blocklist\": [{\"key\": [\"0x20\",\"0x00\",\"0x00\",\"0x00\",\"0x0a\",\"0x00\",\"0x00\",\"0x01\"],"
                + " \"value\": [\"0x07\",\"0x00\",\"0x00\",\"0x00\"]}]}");
        Cli r = Cli.run("prog", "run", Cli.object("xdp_lpm_blocklist"), "data_in", frame("udp64"), "--maps", maps.toString(), "--kernel");
        assertSame(r, "jxdp:   Return value: 1,", "kernel: Return value: 1,");
    }

    @Test
    void anObjectLibbpfRefusesRunsInTheKernelAsJxdpLinkedIt() throws IOException {
        // libbpf 1.x no longer reads legacy `maps` sections; bpftool loadall fails on this object, so the
        // kernel side is jxdp's linking loaded through bpf(). Denying IPv4 (h_proto bytes 08 00) in
        // --maps must drop the frame on both sides; without the entry both pass it.
        assumeKernel();
        assertSame(Cli.run("prog", "run", Cli.object("xdp_legacy_ethertype_filter"), "data_in", frame("udp64"), "--kernel"),
                "jxdp:   Return value: 2,", "kernel: Return value: 2,", "data_out: the same 64 bytes");
        Path maps = tmp.resolve("deny.json");
        Files.writeString(maps, "{\"ethertype_deny\": [{\"key\": [\"0x08\",\"0x00\"], \"value\": [\"0x01\",\"0x00\",\"0x00\",\"0x00\"]}]}");
        assertSame(Cli.run("prog", "run", Cli.object("xdp_legacy_ethertype_filter"), "data_in", frame("udp64"), "repeat", "5",
                "--maps", maps.toString(), "--kernel"), "jxdp:   Return value: 1,", "kernel: Return value: 1,");
        // iproute2's struct bpf_elf_map, a tc classifier
        assertSame(Cli.run("prog", "run", Cli.object("tc_iproute2_dscp_classifier"), "data_in", frame("udp64"), "--kernel"),
                "data_out: the same 64 bytes");
    }

    @Test
    void aRuntIsRefusedByBoth() throws IOException {
        // both are asked, both answer EINVAL; the status is bpftool's for a failed run
        assumeKernel();
        Path runt = tmp.resolve("runt.bin");
        Files.write(runt, new byte[13]);
        Cli r = Cli.run("prog", "run", Cli.object("xdp_pass"), "data_in", runt.toString(), "--kernel");
        assertEquals(1, r.status());
        assertTrue(r.out().contains("jxdp:   Error: failed to run program: Invalid argument"), r.out());
        assertTrue(r.out().contains("kernel: Error: failed to run program: Invalid argument"), r.out());
        assertTrue(r.err().endsWith("; the kernel refused it too\n"), r.err());
    }
}
