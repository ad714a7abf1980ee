package dev.jxdp.kernel;

import java.lang.foreign.Arena;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SequenceLayout;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * A zeroed native instance of a kernel struct (a variant of {@code union bpf_attr}, or
 * {@code struct bpf_prog_info}), written and read by the field names of the C header, so that the code
 * that fills a command reads like the header. Each access checks the field's size, which catches a
 * put of an int into a 64-bit field.
 */
final class Struct {
    private final GroupLayout layout;
    private final MemorySegment segment;

    Struct(Arena arena, GroupLayout layout) {
        this.layout = layout;
        this.segment = arena.allocate(layout); // arena memory starts zeroed, as the kernel wants unused fields
    }

    MemorySegment segment() {
        return segment;
    }

    long size() {
        return layout.byteSize();
    }

    Struct putInt(String field, int value) {
        segment.set(ValueLayout.JAVA_INT, offset(field, 4), value);
        return this;
    }

    Struct putLong(String field, long value) {
        segment.set(ValueLayout.JAVA_LONG, offset(field, 8), value);
        return this;
    }

    /** A pointer field ({@code __aligned_u64} in the header): the address of {@code target}. */
    Struct putPointer(String field, MemorySegment target) {
        return putLong(field, target.address());
    }

    /** A {@code char name[N]} field: the ASCII string, NUL-terminated, truncated to N - 1. */
    Struct putName(String field, String value) {
        SequenceLayout array = (SequenceLayout) element(field);
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        int n = (int) Math.min(bytes.length, array.elementCount() - 1);
        MemorySegment.copy(bytes, 0, segment, ValueLayout.JAVA_BYTE, offset(field, array.byteSize()), n);
        return this;
    }

    int getInt(String field) {
        return segment.get(ValueLayout.JAVA_INT, offset(field, 4));
    }

    long getLong(String field) {
        return segment.get(ValueLayout.JAVA_LONG, offset(field, 8));
    }

    /** A byte-array field, such as {@code __u8 tag[BPF_TAG_SIZE]}. */
    byte[] getBytes(String field) {
        MemoryLayout array = element(field);
        return segment.asSlice(offset(field, array.byteSize()), array.byteSize()).toArray(ValueLayout.JAVA_BYTE);
    }

    /** A {@code char name[N]} field up to its first NUL. */
    String getName(String field) {
        byte[] bytes = getBytes(field);
        int n = 0;
        while (n < bytes.length && bytes[n] != 0) {
            n++;
        }
        return new String(bytes, 0, n, StandardCharsets.US_ASCII);
    }

    private MemoryLayout element(String field) {
        return layout.select(PathElement.groupElement(field));
    }

    private long offset(String field, long size) {
        if (element(field).byteSize() != size) {
            throw new IllegalArgumentException(field + " is " + element(field).byteSize() + " bytes, not " + size);
        }
        return layout.byteOffset(PathElement.groupElement(field));
    }
}
