package dev.jxdp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ShowCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void progShowPlainLooksLikeBpftool() {
        Cli r = Cli.run("prog", "show", Cli.object("xdp_dns_amp_guard"));
        assertEquals(0, r.status(), r.err());
        assertEquals("""
                0: xdp  name xdp_dns_amp_guard  tag 34d9fc8ac4a8fc3d  gpl
                \tsection xdp  insns 58  license "GPL"  map_ids 1,2,0
                \tmaps xdp_dns_.data,xdp_dns_.bss,xdp_dns_.rodata
                """, r.out());
    }

    @Test
    void progShowJsonUsesBpftoolFieldNames() throws Exception {
        Cli r = Cli.run("-j", "prog", "show", Cli.object("xdp_subprog_udp_filter"));
        assertEquals(0, r.status(), r.err());
        JsonNode p = JSON.readTree(r.out()).get(0);
        assertEquals(0, p.get("id").asInt());
        assertEquals("xdp", p.get("type").asText());
        assertEquals("xdp_udp_port_filter", p.get("name").asText());
        assertEquals("100a0f4c4cd5d84a", p.get("tag").asText(), "bpftool's tag for the kernel-loaded program");
        assertTrue(p.get("gpl_compatible").asBoolean());
        assertEquals("[0]", p.get("map_ids").toString());
        assertEquals("[\"parse_eth\",\"parse_ipv4\",\"port_closed\",\"record_verdict\"]", p.get("subprograms").toString());
        assertEquals(88, p.get("insns").asInt());
    }

    @Test
    void jsonFlagWorksAfterTheSubcommandTooAndPrettyIndents() {
        Cli compact = Cli.run("prog", "show", "-j", Cli.object("xdp_pass"));
        Cli pretty = Cli.run("prog", "show", "-p", Cli.object("xdp_pass"));
        assertTrue(compact.out().startsWith("[{\"id\":0,\"type\":\"xdp\",\"name\":\"xdp_pass\""), compact.out());
        // bpftool -p's layout (json_writer): "[{" together, members of an object in an array 8 spaces in
        assertTrue(pretty.out().startsWith("[{\n        \"id\": 0,\n        \"type\": \"xdp\",\n        \"name\": \"xdp_pass\","), pretty.out());
    }

    @Test
    void sha1TagsForOlderKernels() {
        Cli r = Cli.run("prog", "show", "--tag-hash", "sha1", Cli.object("xdp_pass"));
        assertTrue(r.out().contains("tag 3b185187f1855c4c"), r.out());
    }

    @Test
    void mapShowPlainAndJson() throws Exception {
        Cli plain = Cli.run("map", "show", Cli.object("xdp_dns_amp_guard"));
        assertEquals("""
                0: array  name xdp_dns_.rodata  flags 0x480
                \tkey 4B  value 5B  max_entries 1
                \tsection .rodata (global_data)  frozen
                1: array  name xdp_dns_.data  flags 0x400
                \tkey 4B  value 2B  max_entries 1
                \tsection .data (global_data)
                2: array  name xdp_dns_.bss  flags 0x400
                \tkey 4B  value 24B  max_entries 1
                \tsection .bss (global_data)
                """, plain.out());
        JsonNode epochs = JSON.readTree(Cli.run("-j", "map", "show", Cli.object("xdp_stats_epochs")).out()).get(2);
        assertEquals("array_of_maps", epochs.get("type").asText());
        assertEquals(4, epochs.get("bytes_value").asInt());
        assertEquals("epochs.inner", epochs.get("inner_map").get("name").asText());
        assertEquals("{\"0\":\"epoch_a\",\"1\":\"epoch_b\"}", epochs.get("values").toString());
    }

    @Test
    void legacyAndIproute2Conventions() {
        Cli r = Cli.run("map", "show", Cli.object("tc_iproute2_dscp_classifier"));
        assertTrue(r.out().contains("0: array  name dscp_classid  flags 0x0"), r.out());
        assertTrue(r.out().contains("section maps (iproute2)  pinning global_ns"), r.out());
        assertTrue(Cli.run("map", "show", Cli.object("xdp_legacy_ethertype_filter")).out().contains("section maps (legacy)"));
    }

    @Test
    void rodataSettingShowsInTheInitialValue() throws Exception {
        Cli r = Cli.run("-j", "map", "show", "--rodata", "max_response_len=1400", "--rodata", "enforce=false",
                Cli.object("xdp_dns_amp_guard"));
        assertEquals(0, r.status(), r.err());
        assertEquals("7805000000", JSON.readTree(r.out()).get(0).get("initial_value").asText());
        Cli bad = Cli.run("prog", "show", "--rodata", "nonesuch=1", Cli.object("xdp_dns_amp_guard"));
        assertEquals(1, bad.status());
        assertTrue(bad.err().startsWith("Error: no .rodata variable 'nonesuch'"), bad.err());
    }

    @Test
    void loaderErrorsAreOneLine() {
        Cli r = Cli.run("prog", "show", Cli.object("xdp_pass").replace("xdp_pass.o", "..") + "/src/xdp_pass.c");
        assertEquals(1, r.status());
        assertTrue(r.err().startsWith("Error: "), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }
}
