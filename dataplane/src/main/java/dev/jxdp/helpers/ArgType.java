package dev.jxdp.helpers;

/**
 * What a helper expects in one argument register: the kernel's {@code enum bpf_arg_type} with its
 * flags folded in (include/linux/bpf.h). The verifier checks the register against it before the call.
 */
public enum ArgType {
    /** ARG_CONST_MAP_PTR: a map loaded with ld_imm64. */
    CONST_MAP_PTR,
    /** ARG_PTR_TO_MAP_KEY: initialised memory of the map's key size. */
    PTR_TO_MAP_KEY,
    /** ARG_PTR_TO_MAP_VALUE: initialised memory of the map's value size, read by the helper. */
    PTR_TO_MAP_VALUE,
    /** ARG_PTR_TO_MAP_VALUE | MEM_UNINIT | MEM_WRITE: memory of the value size the helper fills (pop, peek). */
    PTR_TO_UNINIT_MAP_VALUE,
    /** ARG_PTR_TO_MEM: memory the helper reads and writes, sized by the next argument. */
    PTR_TO_MEM,
    /** ARG_PTR_TO_MEM | MEM_RDONLY: initialised memory the helper only reads, sized by the next argument. */
    PTR_TO_MEM_RDONLY,
    /** ARG_PTR_TO_MEM | PTR_MAYBE_NULL | MEM_RDONLY: as {@link #PTR_TO_MEM_RDONLY}, or NULL with a zero size. */
    PTR_TO_MEM_OR_NULL_RDONLY,
    /** ARG_PTR_TO_MEM | PTR_MAYBE_NULL: memory the helper writes (bpf_snprintf's buffer), or NULL with a zero size. */
    PTR_TO_MEM_OR_NULL,
    /** ARG_PTR_TO_UNINIT_MEM: memory the helper fills, sized by the next argument; need not be initialised. */
    PTR_TO_UNINIT_MEM,
    /** ARG_CONST_SIZE: the size of the memory argument before it, bounded and greater than zero. */
    CONST_SIZE,
    /** ARG_CONST_SIZE_OR_ZERO: as {@link #CONST_SIZE}, zero allowed. */
    CONST_SIZE_OR_ZERO,
    /** ARG_CONST_ALLOC_SIZE_OR_ZERO: a known constant size of memory the helper allocates. */
    CONST_ALLOC_SIZE_OR_ZERO,
    /** ARG_PTR_TO_CTX: the program's context, unmodified. */
    PTR_TO_CTX,
    /** ARG_ANYTHING: any initialised value. */
    ANYTHING,
    /** ARG_PTR_TO_FUNC: a subprogram the helper calls back. */
    PTR_TO_FUNC,
    /** ARG_PTR_TO_STACK_OR_NULL: a pointer into the stack, or NULL. */
    PTR_TO_STACK_OR_NULL,
    /** ARG_PTR_TO_RINGBUF_MEM | OBJ_RELEASE: a ring buffer reservation, released by the call. */
    PTR_TO_RINGBUF_MEM_RELEASE,
    /** ARG_PTR_TO_CONST_STR: a NUL-terminated string in a read-only map value. */
    PTR_TO_CONST_STR,
    /** ARG_PTR_TO_SPIN_LOCK: the bpf_spin_lock field of a map value. */
    PTR_TO_SPIN_LOCK,
    /** ARG_PTR_TO_FIXED_SIZE_MEM of 8 bytes the helper writes (strtol's result). */
    PTR_TO_LONG;

    /** Whether this argument is a pointer to memory whose size the next argument gives. */
    public boolean isSizedMemory() {
        return this == PTR_TO_MEM || this == PTR_TO_MEM_RDONLY || this == PTR_TO_MEM_OR_NULL_RDONLY || this == PTR_TO_UNINIT_MEM;
    }

    /** Whether this argument is a size of the memory argument before it. */
    public boolean isSize() {
        return this == CONST_SIZE || this == CONST_SIZE_OR_ZERO;
    }
}
