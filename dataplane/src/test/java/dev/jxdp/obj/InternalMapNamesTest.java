package dev.jxdp.obj;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * libbpf's internal map names. The first cases are the examples in libbpf's own comment on
 * internal_map_name; the xdp_dns_ ones are what bpftool showed for xdp_dns_amp_guard.o on the
 * reference machine.
 */
class InternalMapNamesTest {

    @ParameterizedTest
    @CsvSource({
        "my_object_name,    .rodata,        my_objec.rodata",
        "my_object_name,    .bss,           my_objec.bss",
        "xdp_dns_amp_guard, .rodata,        xdp_dns_.rodata",
        "xdp_dns_amp_guard, .data,          xdp_dns_.data",
        "xdp_dns_amp_guard, .bss,           xdp_dns_.bss",
        "xdp_payload_crc32, .rodata,        xdp_payl.rodata",
        "tiny,              .data,          tiny.data",
        // a second dot: no object prefix, and cut to 15 bytes
        "xdp_dns_amp_guard, .rodata.str1.1, .rodata.str1.1",
        "obj,               .data.counters, .data.counters",
        "obj,               .rodata.cst16.x,.rodata.cst16.x",
        "obj,               .data.very_long_section, .data.very_long",
        // bytes the kernel does not allow in names become '_'
        "my-obj,            .data,          my_obj.data",
    })
    void asLibbpf(String object, String section, String expected) {
        assertEquals(expected, InternalMapNames.of(object, section));
    }

    @ParameterizedTest
    @CsvSource({"programs/bin/xdp_dns_amp_guard.o, xdp_dns_amp_guard", "/tmp/a.b.c.o, a", "plain, plain"})
    void objectNameIsTheFileNameUpToItsFirstDot(String path, String expected) {
        assertEquals(expected, InternalMapNames.objectName(path));
    }
}
