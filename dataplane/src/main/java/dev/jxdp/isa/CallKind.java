package dev.jxdp.isa;

/** The src_reg field of JMP|CALL|K: what the imm field of a call names (RFC 9669 4.3.1). */
public enum CallKind {
    /** imm is a helper function id from include/uapi/linux/bpf.h. */
    HELPER(0),
    /** BPF_PSEUDO_CALL: imm is the offset, in slots, of a bpf-to-bpf callee relative to the next slot. */
    LOCAL(1),
    /** BPF_PSEUDO_KFUNC_CALL: imm is the BTF id of a kernel function. */
    KFUNC(2);

    public final int code;

    CallKind(int code) {
        this.code = code;
    }

    static CallKind of(int code) {
        for (CallKind k : values()) {
            if (k.code == code) {
                return k;
            }
        }
        return null;
    }
}
