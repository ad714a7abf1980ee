package dev.jxdp.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.StructLayout;
import org.junit.jupiter.api.Test;

/**
 * The transcribed layouts agree with the C compiler: the numbers below are what offsetof() and
 * sizeof() give for /usr/include/linux/bpf.h (Linux 6.1 uapi) with gcc on x86_64.
 */
class LayoutsTest {

    @Test
    void sizesAndOffsetsMatchTheHeader() {
        assertEquals(72, Layouts.MAP_CREATE.byteSize());
        assertEquals(24, offset(Layouts.MAP_ELEM, "flags"));
        assertEquals(68, offset(Layouts.PROG_LOAD, "expected_attach_type"));
        assertEquals(136, offset(Layouts.PROG_LOAD, "core_relo_rec_size"));
        assertEquals(72, offset(Layouts.PROG_TEST_RUN, "batch_size"));
        assertEquals(80, Layouts.PROG_TEST_RUN.byteSize());
        assertEquals(16, Layouts.OBJ_INFO.byteSize());
        assertEquals(64, offset(Layouts.PROG_INFO, "name"));
        assertEquals(88, offset(Layouts.PROG_INFO, "netns_dev"));
        assertEquals(216, offset(Layouts.PROG_INFO, "verified_insns"));
        assertEquals(232, Layouts.PROG_INFO.byteSize());
    }

    @Test
    void noVariantIsLargerThanTheUnion() {
        // sizeof(union bpf_attr) is 144 in that header; a larger attr would need trailing zeros checked.
        for (StructLayout l : new StructLayout[] {Layouts.MAP_CREATE, Layouts.MAP_ELEM, Layouts.PROG_LOAD,
                Layouts.PROG_TEST_RUN, Layouts.OBJ_INFO}) {
            assertTrue(l.byteSize() <= 144, l.toString());
        }
    }

    private static long offset(StructLayout layout, String field) {
        return layout.byteOffset(PathElement.groupElement(field));
    }
}
