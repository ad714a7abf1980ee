package dev.jxdp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The map element commands where no kernel is needed to know the answer: argument errors in bpftool's
 * words, values that name programs and maps, and what a fresh copy of an object's maps holds.
 */
class MapCommandsTest {

    @Test
    void progArraySlotsHoldTheObjectsProgramIds() {
        // xdp_tailcall_dispatch.c: .values [1] icmp, [6] tcp, [17] udp; ids are jxdp prog show's indexes.
        Cli show = Cli.run("prog", "show", Cli.object("xdp_tailcall_dispatch"));
        Cli dump = Cli.run("map", "dump", Cli.object("xdp_tailcall_dispatch"), "l4_policy");
        assertEquals(0, dump.status(), dump.err());
        assertEquals(3, dump.out().lines().filter(l -> l.startsWith("key:")).count());
        assertTrue(dump.out().endsWith("Found 3 elements\n"), dump.out());
        int icmp = idOf(show.out(), "xdp_icmp_policy");
        assertTrue(dump.out().contains("key: 01 00 00 00  value: " + String.format("%02x", icmp) + " 00 00 00"), dump.out());
    }

    private static int idOf(String progShow, String name) {
        return progShow.lines().filter(l -> l.contains("name " + name)).map(l -> Integer.parseInt(l.substring(0, l.indexOf(':'))))
                .findFirst().orElseThrow();
    }

    @Test
    void aProgArrayValueMayNameTheProgram() {
        Cli ok = Cli.run("map", "update", Cli.object("xdp_tailcall_dispatch"), "l4_policy", "key", "2", "0", "0", "0", "value", "name",
                "xdp_udp_policy");
        assertEquals(0, ok.status(), ok.err());
        Cli bad = Cli.run("map", "update", Cli.object("xdp_tailcall_dispatch"), "l4_policy", "key", "2", "0", "0", "0", "value", "name",
                "nope");
        assertEquals(1, bad.status());
        assertTrue(bad.err().startsWith("Error: no program 'nope' in "), bad.err());
    }

    @Test
    void aMapInMapValueMustMatchTheInnerTemplate() {
        Cli ok = Cli.run("map", "update", Cli.object("xdp_stats_epochs"), "epochs", "key", "0", "0", "0", "0", "value", "name", "epoch_b");
        assertEquals(0, ok.status(), ok.err());
        Cli bad = Cli.run("map", "update", Cli.object("xdp_stats_epochs"), "epochs", "key", "0", "0", "0", "0", "value", "name",
                "active_epoch");
        assertEquals("Error: update failed: Invalid argument\n", bad.err());
    }

    @Test
    void mapsAreNamedByNameOrId() {
        Cli byId = Cli.run("-j", "map", "lookup", Cli.object("xdp_stats_epochs"), "id", "3", "key", "0", "0", "0", "0");
        Cli byName = Cli.run("-j", "map", "lookup", Cli.object("xdp_stats_epochs"), "name", "active_epoch", "key", "0", "0", "0", "0");
        assertEquals(0, byId.status(), byId.err());
        assertEquals(byName.out(), byId.out());
        Cli none = Cli.run("map", "dump", Cli.object("xdp_stats_epochs"), "nosuchmap");
        assertEquals(1, none.status());
        assertTrue(none.err().startsWith("Error: no map 'nosuchmap' in "), none.err());
        assertTrue(none.err().contains("(maps: epoch_a, epoch_b, epochs, active_epoch)"), none.err());
    }

    @Test
    void anObjectWithoutMapsSaysSo() {
        Cli none = Cli.run("map", "dump", Cli.object("xdp_pass"), "fdb");
        assertEquals(1, none.status());
        assertEquals("Error: no map 'fdb' in " + Cli.object("xdp_pass") + " (the object has no maps)\n", none.err());
    }

    @Test
    void argumentErrorsAreBpftools() {
        assertEquals("Error: key expected 4 bytes got 2\n",
                Cli.run("map", "lookup", Cli.object("xdp_stats_epochs"), "active_epoch", "key", "0", "0").err());
        assertEquals("Error: error parsing byte: 0q\n",
                Cli.run("map", "lookup", Cli.object("xdp_stats_epochs"), "active_epoch", "key", "0", "0q", "0", "0").err());
        assertEquals("Error: did not find key\n", Cli.run("map", "lookup", Cli.object("xdp_stats_epochs"), "active_epoch").err());
        // bpftool's peek is its lookup: on a map with keys (a hash, an array) it wants one, in the same words
        assertEquals("Error: did not find key\n", Cli.run("map", "peek", Cli.object("xdp_l2_switch"), "fdb").err());
        assertEquals("Error: did not find key\n", Cli.run("map", "peek", Cli.object("xdp_stats_epochs"), "active_epoch").err());
        assertEquals("Error: expected key or value, got: flags\n",
                Cli.run("map", "update", Cli.object("xdp_stats_epochs"), "active_epoch", "flags").err());
        // Bytes are read as strtoul reads them: 0x.., 0.. octal, and only the low 8 bits count.
        Cli odd = Cli.run("map", "update", Cli.object("xdp_stats_epochs"), "epoch_a", "key", "0x01", "010", "0", "0", "value",
                "300", "0", "0", "0", "0", "0", "0", "0");
        assertEquals("Error: update failed: Argument list too long\n", odd.err(), "key 0x0801 is past the end: E2BIG");
    }

    @Test
    void aRingBufferHasNoMapCommands() {
        // The kernel answers ENOTSUPP (524) for every map command on a ring buffer.
        Cli rb = Cli.run("map", "dump", Cli.object("xdp_ringbuf_sampler"), "samples");
        assertEquals(1, rb.status());
        assertEquals("Error: can't get next key: Operation is not supported\n", rb.err());
    }
}
