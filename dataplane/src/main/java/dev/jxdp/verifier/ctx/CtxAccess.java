package dev.jxdp.verifier.ctx;

import java.util.Objects;

/**
 * One entry of the context rewrite table (the kernel's convert_ctx_access): the load or store at an
 * instruction touches {@code width} bytes of field {@code field} of {@code layout}, starting
 * {@code offsetInField} bytes into it. Engines and hooks serve the access from the runtime context
 * object instead of memory: a load of {@code xdp_md.data} gives the packet's address, a 2-byte load at
 * offset 2 of {@code __sk_buff.protocol} gives the upper half of that field's value (little-endian).
 *
 * @param width 1, 2, 4 or 8; an 8-byte access to {@code cb[i]} spans {@code cb[i]} and {@code cb[i+1]}
 */
public record CtxAccess(CtxLayout layout, CtxField field, int offsetInField, int width, boolean write) {
    public CtxAccess {
        Objects.requireNonNull(layout);
        Objects.requireNonNull(field);
    }

    /** Byte offset of the access in the structure. */
    public int offset() {
        return field.offset() + offsetInField;
    }

    @Override
    public String toString() {
        return (write ? "store " : "load ") + width + " bytes of " + layout.name() + "." + field.name()
                + (offsetInField == 0 ? "" : "+" + offsetInField);
    }
}
