package dev.jxdp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifyCommandTest {

    private static String corpus(String name) {
        return Cli.root().resolve("programs/verifier/asm/" + name).toString();
    }

    @Test
    void acceptedObjectPrintsTheKernelsStatisticsAndExitsZero() {
        Cli r = Cli.run("verify", Cli.object("xdp_ipv4_filter"));
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith("xdp_ipv4_filter (xdp): accepted\nprocessed "), r.out());
        assertTrue(r.out().contains(" insns (limit 1000000) max_states_per_insn "), r.out());
        assertTrue(r.out().contains("verification time "), r.out());
        assertEquals("", r.err());
    }

    @Test
    void refusedProgramPrintsTheLogTailAndExitsOne() {
        Cli r = Cli.run("verify", corpus("bad-pkt-no-check.s"));
        assertEquals(1, r.status());
        // the kernel's own words (recorded in the case), after the path that failed
        assertTrue(r.out().contains("4: (69) r0 = *(u16 *)(r6 +0)\ninvalid access to packet, off=12 size=2, R6(id=0,off=12,r=0)\n"
                + "R6 offset is outside of the packet\n"), r.out());
        assertEquals("Error: bad-pkt-no-check.s: insn 4: invalid access to packet, off=12 size=2, R6(id=0,off=12,r=0)\n", r.err());
    }

    @Test
    void logLevelTwoPrintsEveryInstructionsState() {
        Cli r = Cli.run("verify", "--log-level", "2", corpus("ok-pkt-gt-ptr-end.s"));
        assertEquals(0, r.status(), r.err());
        // after "r4 = r2; r4 += 14" and the check, data is known to have 14 bytes on the fall-through
        assertTrue(r.out().contains("R4=pkt(off=14,r=0)"), r.out());
        assertTrue(r.out().contains("R2=pkt(r=14)"), r.out());
        assertTrue(r.out().contains("\nfrom 4 to 6:"), r.out());
    }

    @Test
    void selectsProgramsBySectionOrName() {
        Cli byName = Cli.run("verify", "--name", "xdp_tcp_policy", Cli.object("xdp_tailcall_dispatch"));
        assertEquals(0, byName.status(), byName.err());
        assertTrue(byName.out().startsWith("xdp_tcp_policy (xdp): accepted\n"), byName.out());
        assertEquals(1, byName.out().lines().filter(l -> l.endsWith(": accepted")).count());

        Cli all = Cli.run("verify", "--section", "xdp", Cli.object("xdp_tailcall_dispatch"));
        assertEquals(4, all.out().lines().filter(l -> l.endsWith(": accepted")).count(), all.out());

        Cli none = Cli.run("verify", "--name", "nope", Cli.object("xdp_pass"));
        assertEquals(1, none.status());
        assertTrue(none.err().startsWith("Error: ") && none.err().contains("no program named 'nope'")
                && none.err().contains("xdp_pass [xdp]"), none.err());
    }

    @Test
    void typeOverridesTheProgramType() {
        // LD_ABS is a tc (and socket filter) instruction: refused as XDP, accepted as tc
        Cli asXdp = Cli.run("verify", "--type", "xdp", corpus("ok-tc-ld-abs.s"));
        assertEquals(1, asXdp.status());
        assertTrue(asXdp.err().contains("BPF_LD_[ABS|IND] instructions not allowed for this program type"), asXdp.err());
        assertEquals(0, Cli.run("verify", "--type", "tc", corpus("ok-tc-ld-abs.s")).status());
    }

    @Test
    void unprivilegedRulesRefuseLoops() {
        assertEquals(0, Cli.run("verify", corpus("ok-bounded-loop.s")).status());
        Cli r = Cli.run("verify", "--unprivileged", corpus("ok-bounded-loop.s"));
        assertEquals(1, r.status());
        assertTrue(r.err().contains("back-edge from insn 4 to 2"), r.err());
    }

    @Test
    void jsonOutput() throws Exception {
        Cli r = Cli.run("-j", "verify", corpus("bad-div-zero.s"));
        assertEquals(1, r.status());
        JsonNode row = new ObjectMapper().readTree(r.out()).get(0);
        assertEquals("refused", row.get("verdict").asText());
        assertEquals("div by zero", row.get("error").asText());
        assertEquals(1, row.get("insn").asInt());
    }

    @Test
    void badInputIsOneLine(@TempDir Path dir) throws Exception {
        Path s = Files.writeString(dir.resolve("x.s"), "; type: xdp\nr0 = nonsense\nexit\n");
        Cli r = Cli.run("verify", s.toString());
        assertEquals(1, r.status());
        assertTrue(r.err().startsWith("Error: ") && r.err().lines().count() == 1, r.err());
        Cli level = Cli.run("verify", "--log-level", "5", s.toString());
        assertEquals(2, level.status());
        assertEquals("Error: --log-level must be 0, 1 or 2, not 5 (see 'jxdp verify --help')\n", level.err());
    }
}
