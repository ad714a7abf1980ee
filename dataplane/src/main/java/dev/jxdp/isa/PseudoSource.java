package dev.jxdp.isa;

/**
 * What the src_reg field of a 64-bit immediate load says its imm means (RFC 9669 5.4,
 * include/uapi/linux/bpf.h BPF_PSEUDO_*). Only {@link #VALUE} is a plain constant; the others are
 * resolved by the loader into a map, a map value address, a kernel object or a function address.
 */
public enum PseudoSource {
    /** imm64 = (next_imm << 32) | imm. */
    VALUE(0),
    /** BPF_PSEUDO_MAP_FD: imm is a map fd; the register gets the map. */
    MAP_FD(1),
    /** BPF_PSEUDO_MAP_VALUE: imm is a map fd, next_imm an offset into its value at key 0. */
    MAP_VALUE(2),
    /** BPF_PSEUDO_BTF_ID: imm is a kernel BTF id of a variable. */
    BTF_ID(3),
    /** BPF_PSEUDO_FUNC: imm is the instruction offset of a subprogram, relative to the next slot. */
    FUNC(4),
    /** BPF_PSEUDO_MAP_IDX: imm indexes the map array given at load. */
    MAP_IDX(5),
    /** BPF_PSEUDO_MAP_IDX_VALUE: imm indexes the map array, next_imm is an offset into the value. */
    MAP_IDX_VALUE(6);

    public final int code;

    PseudoSource(int code) {
        this.code = code;
    }

    static PseudoSource of(int code) {
        for (PseudoSource s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        return null;
    }
}
