package dev.jxdp.helpers;

/** What a helper returns in r0: the kernel's {@code enum bpf_return_type}. */
public enum RetType {
    /** RET_INTEGER: a scalar. */
    INTEGER,
    /** RET_VOID: nothing the program may read (r0 is unknown; the kernel marks it so too). */
    VOID,
    /** RET_PTR_TO_MAP_VALUE_OR_NULL: a value of the map argument, or NULL. */
    PTR_TO_MAP_VALUE_OR_NULL,
    /** RET_PTR_TO_RINGBUF_MEM_OR_NULL: memory of the constant size argument, a reference to release, or NULL. */
    PTR_TO_RINGBUF_MEM_OR_NULL
}
