package dev.jxdp.obj;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jxdp.isa.Call;
import dev.jxdp.isa.CallKind;
import dev.jxdp.isa.LoadImm64;
import dev.jxdp.isa.PseudoSource;
import dev.jxdp.testing.Repo;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * What the loader makes of the objects in programs/. Expected values come from the C sources (map
 * definitions, sections, licenses), from libbpf's documented rules, and from what the kernel showed
 * for the same objects (bpftool prog dump xlated for function placement).
 */
class ObjectLoaderTest {

    @Test
    void everyObjectLoads() {
        for (Path p : Repo.programObjects()) {
            String name = p.getFileName().toString().replace(".o", "");
            ObjectSpec spec = Corpus.load(name);
            assertFalse(spec.programs().isEmpty(), name + " has programs");
        }
    }

    @Test
    void smallestProgram() {
        ObjectSpec o = Corpus.load("xdp_pass");
        assertEquals("xdp_pass", o.name());
        assertEquals("BSD-2-Clause", o.license());
        assertFalse(o.gplCompatible());
        assertEquals(OptionalInt.empty(), o.kernelVersion());
        assertEquals(List.of(), o.maps());
        ProgramSpec p = o.programs().getFirst();
        assertEquals("xdp_pass", p.name());
        assertEquals("xdp", p.section());
        assertEquals(ProgramType.XDP, p.type());
        assertEquals(AttachType.XDP, p.expectedAttachType());
        assertTrue(p.autoload());
        assertEquals(2, p.slotCount(), "r0 = 2; exit");
        assertFalse(p.gplCompatible());
        assertEquals(List.of(new ProgramSpec.Function("xdp_pass", "xdp", 0, 2)), p.functions());
        assertEquals(1, p.funcInfo().size());
        assertEquals(0, p.funcInfo().getFirst().insn());
        assertEquals("return XDP_PASS;", p.lineInfo().getFirst().source().strip());
    }

    @Test
    void btfMapDefinitionsAsTheSourcesDeclareThem() {
        MapSpec stats = Corpus.load("xdp_proto_counter").map("proto_stats").orElseThrow();
        assertEquals(MapType.PERCPU_ARRAY, stats.type());
        assertEquals(4, stats.keySize());
        assertEquals(16, stats.valueSize(), "struct proto_stats { __u64 packets, bytes; }");
        assertEquals(256, stats.maxEntries());
        assertEquals(MapConvention.BTF_MAPS, stats.origin().convention());
        assertEquals(".maps", stats.origin().section());

        MapSpec lpm = Corpus.load("xdp_lpm_blocklist").map("blocklist").orElseThrow();
        assertEquals(MapType.LPM_TRIE, lpm.type());
        assertEquals(MapSpec.F_NO_PREALLOC, lpm.flags());
        assertEquals(8, lpm.keySize(), "struct ipv4_lpm_key { __u32 prefixlen; __u8 addr[4]; }");
        assertEquals(16384, lpm.maxEntries());

        MapSpec ring = Corpus.load("xdp_ringbuf_sampler").map("samples").orElseThrow();
        assertEquals(MapType.RINGBUF, ring.type());
        assertEquals(0, ring.keySize());
        assertEquals(0, ring.valueSize());
        assertEquals(256 * 1024, ring.maxEntries());

        MapSpec ports = Corpus.load("xdp_l2_switch").map("ports").orElseThrow();
        assertEquals(MapType.DEVMAP, ports.type());
        assertEquals(0, ports.flags(), "the object asks for no flags; the kernel adds BPF_F_RDONLY_PROG to devmaps itself");
    }

    @Test
    void progArrayValuesNameTheirPrograms() {
        ObjectSpec o = Corpus.load("xdp_tailcall_dispatch");
        assertEquals(List.of("xdp_icmp_policy", "xdp_tcp_policy", "xdp_udp_policy", "xdp_dispatch"),
                o.programs().stream().map(ProgramSpec::name).toList(), "symbol order in section xdp");
        MapSpec policy = o.map("l4_policy").orElseThrow();
        assertEquals(MapType.PROG_ARRAY, policy.type());
        assertEquals(4, policy.valueSize(), "program fds");
        // .values = { [IPPROTO_ICMP] = ..., [IPPROTO_TCP] = ..., [IPPROTO_UDP] = ... }
        assertEquals(new MapContents.Slots(new java.util.TreeMap<>(Map.of(1, "xdp_icmp_policy", 6, "xdp_tcp_policy", 17, "xdp_udp_policy"))),
                policy.contents());
    }

    @Test
    void mapInMapHasItsInnerTemplateAndSlots() {
        ObjectSpec o = Corpus.load("xdp_stats_epochs");
        MapSpec epochs = o.map("epochs").orElseThrow();
        assertEquals(MapType.ARRAY_OF_MAPS, epochs.type());
        assertEquals(2, epochs.maxEntries());
        assertEquals(4, epochs.valueSize());
        MapSpec inner = epochs.inner();
        assertEquals("epochs.inner", inner.name(), "libbpf's name for the template");
        assertEquals(MapType.ARRAY, inner.type());
        assertEquals(256, inner.maxEntries());
        assertEquals(8, inner.valueSize());
        assertEquals(Map.of(0, "epoch_a", 1, "epoch_b"), ((MapContents.Slots) epochs.contents()).entries());
        assertEquals(List.of("epoch_a", "epoch_b", "epochs", "active_epoch"), o.maps().stream().map(MapSpec::name).toList(),
                "the DATASEC's variable order");
    }

    @Test
    void legacyBpfMapDef() {
        ObjectSpec o = Corpus.load("xdp_legacy_ethertype_filter");
        MapSpec deny = o.map("ethertype_deny").orElseThrow();
        assertEquals(MapConvention.LEGACY_MAP_DEF, deny.origin().convention());
        assertEquals(MapType.HASH, deny.type());
        assertEquals(2, deny.keySize());
        assertEquals(4, deny.valueSize());
        assertEquals(64, deny.maxEntries());
        MapSpec count = o.map("ethertype_count").orElseThrow();
        assertEquals(MapType.PERCPU_HASH, count.type());
        assertEquals(8, count.valueSize());
        assertEquals(1024, count.maxEntries());
        assertNull(deny.origin().elfMapIds());
    }

    @Test
    void iproute2ElfMapAndClassifierSection() {
        ObjectSpec o = Corpus.load("tc_iproute2_dscp_classifier");
        MapSpec classid = o.map("dscp_classid").orElseThrow();
        assertEquals(MapConvention.IPROUTE2_ELF_MAP, classid.origin().convention());
        assertEquals(MapType.ARRAY, classid.type());
        assertEquals(64, classid.maxEntries());
        assertEquals(2, classid.pinning(), "PIN_GLOBAL_NS");
        assertEquals(new MapSpec.ElfMapIds(0, 0, 0), classid.origin().elfMapIds());
        assertEquals(0, o.map("dscp_bytes").orElseThrow().pinning(), "PIN_NONE");
        ProgramSpec p = o.programs().getFirst();
        assertEquals("classifier", p.section());
        assertEquals(ProgramType.SCHED_CLS, p.type());
        assertNull(p.expectedAttachType());
    }

    @Test
    void globalDataMapsAsLibbpfMakesThem() {
        ObjectSpec o = Corpus.load("xdp_dns_amp_guard");
        assertEquals(List.of("xdp_dns_.rodata", "xdp_dns_.data", "xdp_dns_.bss"), o.maps().stream().map(MapSpec::name).toList());
        MapSpec rodata = o.map("xdp_dns_.rodata").orElseThrow();
        assertEquals(MapType.ARRAY, rodata.type());
        assertEquals(4, rodata.keySize());
        assertEquals(1, rodata.maxEntries());
        assertEquals(MapSpec.F_RDONLY_PROG | MapSpec.F_MMAPABLE, rodata.flags());
        assertTrue(rodata.frozen());
        // const volatile __u32 max_response_len = 512; const volatile __u8 enforce = 1;
        assertArrayEquals(new byte[] {0, 2, 0, 0, 1}, ((MapContents.Data) rodata.contents()).bytes());
        MapSpec data = o.map("xdp_dns_.data").orElseThrow();
        assertEquals(MapSpec.F_MMAPABLE, data.flags());
        assertFalse(data.frozen());
        assertArrayEquals(new byte[] {53, 0}, ((MapContents.Data) data.contents()).bytes(), "__u16 dns_port = 53;");
        assertArrayEquals(new byte[24], ((MapContents.Data) o.map("xdp_dns_.bss").orElseThrow().contents()).bytes());

        ProgramSpec p = o.programs().getFirst();
        // First references in the code: .data (dns_port), .bss, .rodata: the kernel listed the same order in map_ids.
        assertEquals(List.of(1, 2, 0), p.mapIndexes());
        p.code().forEach((insn, pc) -> {
            if (insn instanceof LoadImm64 l && l.source() != PseudoSource.VALUE) {
                assertEquals(PseudoSource.MAP_VALUE, l.source(), "global data is reached by map value address");
                assertTrue(l.nextImm() < o.maps().get(l.imm()).valueSize());
            }
        });
    }

    @Test
    void rodataSettingsAreEncodedByTheirBtfType() {
        LoadOptions opts = LoadOptions.defaults().withRodata("max_response_len", "0x578").withRodata("enforce", "0");
        MapSpec rodata = Corpus.load("xdp_dns_amp_guard", opts).map("xdp_dns_.rodata").orElseThrow();
        assertArrayEquals(new byte[] {0x78, 0x05, 0, 0, 0}, ((MapContents.Data) rodata.contents()).bytes());

        var unknown = assertThrows(IllegalArgumentException.class,
                () -> Corpus.load("xdp_dns_amp_guard", LoadOptions.defaults().withRodata("max_len", "1")));
        assertTrue(unknown.getMessage().contains("max_response_len, enforce"), unknown.getMessage());
        var range = assertThrows(IllegalArgumentException.class,
                () -> Corpus.load("xdp_dns_amp_guard", LoadOptions.defaults().withRodata("enforce", "256")));
        assertTrue(range.getMessage().contains("out of range 0..255"), range.getMessage());
        var notRodata = assertThrows(IllegalArgumentException.class,
                () -> Corpus.load("xdp_dns_amp_guard", LoadOptions.defaults().withRodata("dns_port", "5353")));
        assertTrue(notRodata.getMessage().contains("is in .data"), notRodata.getMessage());
        var raw = Corpus.load("xdp_dns_amp_guard", LoadOptions.defaults().withRodataBytes("max_response_len", new byte[] {1, 2, 3, 4}));
        assertArrayEquals(new byte[] {1, 2, 3, 4, 1}, ((MapContents.Data) raw.map("xdp_dns_.rodata").orElseThrow().contents()).bytes());
    }

    @Test
    void subprogramsAreAppendedDepthFirstLikeLibbpf() {
        ProgramSpec p = Corpus.load("xdp_subprog_udp_filter").programs().getFirst();
        // bpftool prog dump xlated of the kernel-loaded program shows the functions at 0, 37, 50, 67 and 77.
        assertEquals(List.of(new ProgramSpec.Function("xdp_udp_port_filter", "xdp", 0, 37),
                new ProgramSpec.Function("parse_eth", ".text", 37, 13),
                new ProgramSpec.Function("parse_ipv4", ".text", 50, 17),
                new ProgramSpec.Function("port_closed", ".text", 67, 10),
                new ProgramSpec.Function("record_verdict", ".text", 77, 11)), p.functions());
        // The kernel's dump: insn 8 is "call pc+28" to parse_eth.
        assertEquals(new Call(CallKind.LOCAL, 28), p.code().at(8));
        assertEquals(List.of(0, 37, 50, 67, 77), p.funcInfo().stream().map(f -> f.insn()).toList());
        assertTrue(p.lineInfo().stream().allMatch(l -> l.insn() < p.slotCount()));
    }

    @Test
    void functionAddressLoadsBecomePseudoFunc() {
        ProgramSpec p = Corpus.load("xdp_loop_histogram").programs().getFirst();
        assertEquals(List.of("xdp_loop_histogram", "fold_bucket"), p.functions().stream().map(ProgramSpec.Function::name).toList());
        int callback = p.functions().get(1).start();
        boolean[] found = {false};
        p.code().forEach((insn, pc) -> {
            if (insn instanceof LoadImm64 l && l.source() == PseudoSource.FUNC) {
                assertEquals(callback, pc + 1 + l.imm(), "imm is the callback's offset from the next slot");
                found[0] = true;
            }
        });
        assertTrue(found[0]);
    }

    @Test
    void sectionsNameTypes() {
        ObjectSpec o = Corpus.load("xdp_tc_meta_handoff");
        assertEquals(ProgramType.XDP, o.program("xdp_store_meta").orElseThrow().type());
        ProgramSpec tc = o.program("tc_meta_to_mark").orElseThrow();
        assertEquals(ProgramType.SCHED_CLS, tc.type());
        assertEquals("tc", tc.section());
    }

    @Test
    void programNamesTheKernelKeeps() {
        ProgramSpec p = Corpus.load("xdp_proto_counter").programs().getFirst();
        assertEquals("xdp_count_protocols", p.name());
        assertEquals("xdp_count_proto", p.kernelName(), "BPF_OBJ_NAME_LEN is 16 with the NUL");
    }

    @Test
    void specsAreImmutable() {
        ObjectSpec o = Corpus.load("xdp_dns_amp_guard");
        MapContents.Data d = (MapContents.Data) o.maps().getFirst().contents();
        d.bytes()[0] = 99;
        assertEquals(0, ((MapContents.Data) o.maps().getFirst().contents()).bytes()[0]);
        assertThrows(UnsupportedOperationException.class, () -> o.programs().add(null));
        assertInstanceOf(MapContents.Empty.class, Corpus.load("xdp_flow_counter").maps().getFirst().contents());
    }
}
