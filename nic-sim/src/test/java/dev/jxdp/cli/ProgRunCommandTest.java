package dev.jxdp.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jxdp prog run} in bpftool's shape: the result line, data_out and ctx_out, hex dumps for "-",
 * and one clear line with a non-zero status for bad input. Verdicts are the programs' own (the
 * kernel's for these frames: programs/README.md and ProgRunKernelTest).
 */
class ProgRunCommandTest {
    @TempDir
    Path tmp;

    private static String frame(String name) {
        return Cli.root().resolve("programs/frames/" + name + ".bin").toString();
    }

    @Test
    void printsBpftoolsResultLine() {
        Cli r = Cli.run("prog", "run", Cli.object("xdp_ipv4_filter"), "data_in", frame("udp64"));
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().matches("Return value: 2, duration: \\d+ns\n"), r.out());
        Cli bad = Cli.run("prog", "run", Cli.object("xdp_ipv4_filter"), "data_in", frame("udp64_bad_ipcsum"), "repeat", "10");
        assertTrue(bad.out().matches("Return value: 1, duration \\(average\\): \\d+ns\n"), bad.out());
    }

    @Test
    void writesDataOutAndHexDumps() throws IOException {
        Path out = tmp.resolve("out.bin");
        Cli r = Cli.run("prog", "run", Cli.object("xdp_icmp_echo"), "data_in", frame("icmp_echo"), "data_out", out.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith("Return value: 3,"), "an echo request is answered with XDP_TX: " + r.out());
        byte[] in = Files.readAllBytes(Path.of(frame("icmp_echo")));
        byte[] reply = Files.readAllBytes(out);
        assertArrayEquals(Arrays.copyOfRange(in, 0, 6), Arrays.copyOfRange(reply, 6, 12), "MAC addresses swapped");
        Cli hex = Cli.run("prog", "run", Cli.object("xdp_pass"), "data_in", frame("udp64"), "data_out", "-");
        assertTrue(hex.out().startsWith("0000000\t0200 0000 0002 0200 0000 0001 0800 4500 | ........ ......E.\n"), hex.out());
        assertEquals(5, hex.out().lines().count(), "4 rows of 16 bytes and the result line");
    }

    @Test
    void histogramAndJson() {
        Cli h = Cli.run("prog", "run", Cli.object("xdp_pass"), "data_in", frame("udp64"), "repeat", "1000", "--histogram");
        assertTrue(h.out().lines().toList().get(1).matches("Latency: p50 \\d+ns, p99 \\d+ns, p99.9 \\d+ns, max \\d+ns \\(1000 runs\\)"), h.out());
        Cli j = Cli.run("-j", "prog", "run", Cli.object("xdp_pass"), "data_in", frame("udp64"));
        assertTrue(j.out().matches("\\{\"retval\":2,\"duration\":\\d+}\n"), j.out());
    }

    @Test
    void contextInAndOut() throws IOException {
        Path ctx = tmp.resolve("ctx.bin");
        byte[] skb = new byte[192];
        skb[8] = 0x2a; // mark
        Files.write(ctx, skb);
        Path ctxOut = tmp.resolve("ctx_out.bin");
        Cli r = Cli.run("prog", "run", Cli.object("tc_rtp_jitter"), "data_in", frame("rtp"), "ctx_in", ctx.toString(), "ctx_out",
                ctxOut.toString());
        assertEquals(0, r.status(), r.err());
        byte[] out = Files.readAllBytes(ctxOut);
        assertEquals(192, out.length);
        assertEquals(0x2a, out[8], "mark as it went in");
        assertEquals(1, out[40], "ifindex: the loopback device");
    }

    @Test
    void mapsStartFromADump() throws IOException {
        // blocklist 10.0.0.1/32 (the frame's source) as rule 7: the filter drops the frame
        Path maps = tmp.resolve("maps.json");
        Files.writeString(maps, "{\"blocklist\": [{\"key\": [\"0x20\",\"0x00\",\"0x00\",\"0x00\",\"0x0a\",\"0x00\",\"0x00\",\"0x01\"],"
                + " \"value\": [\"0x07\",\"0x00\",\"0x00\",\"0x00\"]}]}");
        Cli before = Cli.run("prog", "run", Cli.object("xdp_lpm_blocklist"), "data_in", frame("udp64"));
        Cli after = Cli.run("prog", "run", Cli.object("xdp_lpm_blocklist"), "data_in", frame("udp64"), "--maps", maps.toString());
        assertTrue(before.out().startsWith("Return value: 2,"), before.out() + before.err());
        assertTrue(after.out().startsWith("Return value: 1,"), after.out() + after.err());
    }

    /** A section of several programs names none of them: --section alone refuses, --name picks. */
    @Test
    void aSectionOfSeveralProgramsIsRefusedWithTheirNames() {
        String dispatch = Cli.object("xdp_tailcall_dispatch");
        Cli r = Cli.run("prog", "run", dispatch, "--section", "xdp", "data_in", frame("udp64"));
        assertEquals(1, r.status(), r.out());
        assertEquals("Error: " + dispatch + " section xdp has 4 programs (xdp_icmp_policy, xdp_tcp_policy, xdp_udp_policy, xdp_dispatch):"
                + " choose one with --name\n", r.err());
        assertEquals("", r.out());
        Cli both = Cli.run("prog", "run", dispatch, "--section", "xdp", "--name", "xdp_dispatch", "data_in", frame("udp64"));
        assertEquals(0, both.status(), both.err());
        Cli neither = Cli.run("prog", "run", dispatch, "--section", "tc", "--name", "xdp_dispatch", "data_in", frame("udp64"));
        assertEquals(1, neither.status());
        assertTrue(neither.err().startsWith("Error: no program named 'xdp_dispatch' in section 'tc' in " + dispatch + " (programs: "), neither.err());
    }

    @Test
    void badInputIsOneLine() throws IOException {
        Path runt = tmp.resolve("runt.bin");
        Files.write(runt, new byte[13]);
        Cli r = Cli.run("prog", "run", Cli.object("xdp_pass"), "data_in", runt.toString());
        assertEquals(1, r.status());
        assertTrue(r.err().matches("Error: failed to run program: Invalid argument \\(.*14.*\\)\n"), r.err());
        Cli word = Cli.run("prog", "run", Cli.object("xdp_pass"), "data_in", frame("udp64"), "date_out", "x");
        assertEquals(2, word.status());
        assertTrue(word.err().contains("got: 'date_out'"), word.err());
        // an unknown last word without a value: still unknown, as bpftool says it
        Cli last = Cli.run("prog", "run", Cli.object("xdp_pass"), "data_in", frame("udp64"), "bogus");
        assertEquals(2, last.status());
        assertEquals("Error: expected no more arguments, 'data_in', 'data_out', 'data_size_out', 'ctx_in', 'ctx_out', 'ctx_size_out'"
                + " or 'repeat', got: 'bogus' (see 'jxdp prog run --help')\n", last.err());
        Cli missing = Cli.run("prog", "run", Cli.object("xdp_pass"), "data_in", tmp.resolve("nope.bin").toString());
        assertEquals(1, missing.status());
        assertEquals(1, missing.err().lines().count(), missing.err());
        Cli two = Cli.run("prog", "run", Cli.object("xdp_tc_meta_handoff"), "data_in", frame("udp64"));
        assertEquals(1, two.status());
        assertTrue(two.err().contains("choose one with --name or --section"), two.err());
        Path ctx = tmp.resolve("ctx.bin");
        byte[] longCtx = new byte[32];
        longCtx[30] = 1;
        Files.write(ctx, longCtx);
        Cli big = Cli.run("prog", "run", Cli.object("xdp_pass"), "data_in", frame("udp64"), "ctx_in", ctx.toString());
        assertTrue(big.err().startsWith("Error: failed to run program: Argument list too long"), big.err());
        Cli noData = Cli.run("prog", "run", Cli.object("xdp_pass"), "repeat", "3");
        assertEquals(2, noData.status());
    }
}
