package dev.jxdp.kernel;

import static java.lang.foreign.MemoryLayout.paddingLayout;
import static java.lang.foreign.MemoryLayout.sequenceLayout;
import static java.lang.foreign.MemoryLayout.structLayout;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/**
 * The variants of {@code union bpf_attr} the backend uses, and {@code struct bpf_prog_info}, transcribed
 * field by field from include/uapi/linux/bpf.h (the names are the header's). {@code __u32} is JAVA_INT,
 * {@code __u64}/{@code __aligned_u64} is JAVA_LONG, whose 8-byte alignment structLayout checks, so a
 * missing padding field fails at class initialisation instead of shifting every later field.
 *
 * <p>bpf() is passed the size of the variant, not of the whole union: the kernel zero-fills what a
 * caller leaves out, and fields a newer kernel added after these stay zero, which means "unused".
 */
final class Layouts {
    private Layouts() {}

    /** BPF_OBJ_NAME_LEN. */
    static final int OBJ_NAME_LEN = 16;
    /** BPF_TAG_SIZE. */
    static final int TAG_SIZE = 8;

    private static MemoryLayout u32(String name) {
        return JAVA_INT.withName(name);
    }

    private static MemoryLayout u64(String name) {
        return JAVA_LONG.withName(name);
    }

    private static MemoryLayout chars(int n, String name) {
        return sequenceLayout(n, JAVA_BYTE).withName(name);
    }

    /** The anonymous struct used by BPF_MAP_CREATE. */
    static final StructLayout MAP_CREATE = structLayout(
            u32("map_type"),
            u32("key_size"),
            u32("value_size"),
            u32("max_entries"),
            u32("map_flags"),
            u32("inner_map_fd"),
            u32("numa_node"),
            chars(OBJ_NAME_LEN, "map_name"),
            u32("map_ifindex"),
            u32("btf_fd"),
            u32("btf_key_type_id"),
            u32("btf_value_type_id"),
            u32("btf_vmlinux_value_type_id"),
            u64("map_extra"));

    /**
     * The anonymous struct used by the BPF_MAP_*_ELEM commands; {@code value} shares its slot with
     * {@code next_key} in the header's union, so GET_NEXT_KEY writes "value".
     */
    static final StructLayout MAP_ELEM = structLayout(
            u32("map_fd"),
            paddingLayout(4),
            u64("key"),
            u64("value"),
            u64("flags"));

    /** The anonymous struct used by BPF_PROG_LOAD. */
    static final StructLayout PROG_LOAD = structLayout(
            u32("prog_type"),
            u32("insn_cnt"),
            u64("insns"),
            u64("license"),
            u32("log_level"),
            u32("log_size"),
            u64("log_buf"),
            u32("kern_version"),
            u32("prog_flags"),
            chars(OBJ_NAME_LEN, "prog_name"),
            u32("prog_ifindex"),
            u32("expected_attach_type"),
            u32("prog_btf_fd"),
            u32("func_info_rec_size"),
            u64("func_info"),
            u32("func_info_cnt"),
            u32("line_info_rec_size"),
            u64("line_info"),
            u32("line_info_cnt"),
            u32("attach_btf_id"),
            u32("attach_prog_fd"), // union with attach_btf_obj_fd
            u32("core_relo_cnt"),
            u64("fd_array"),
            u64("core_relos"),
            u32("core_relo_rec_size"),
            paddingLayout(4));

    /** The anonymous struct used by BPF_OBJ_PIN and BPF_OBJ_GET. */
    static final StructLayout OBJ_PIN = structLayout(
            u64("pathname"),
            u32("bpf_fd"),
            u32("file_flags"),
            u32("path_fd"),
            paddingLayout(4));

    /** The struct {@code test} used by BPF_PROG_TEST_RUN. */
    static final StructLayout PROG_TEST_RUN = structLayout(
            u32("prog_fd"),
            u32("retval"),
            u32("data_size_in"),
            u32("data_size_out"),
            u64("data_in"),
            u64("data_out"),
            u32("repeat"),
            u32("duration"),
            u32("ctx_size_in"),
            u32("ctx_size_out"),
            u64("ctx_in"),
            u64("ctx_out"),
            u32("flags"),
            u32("cpu"),
            u32("batch_size"),
            paddingLayout(4));

    /**
     * The anonymous struct used by BPF_OBJ_PIN and BPF_OBJ_GET; path_fd, newer, is left out (the
     * kernel reads it only with BPF_F_PATH_FD in file_flags).
     */
    static final StructLayout OBJ_GET = structLayout(
            u64("pathname"),
            u32("bpf_fd"),
            u32("file_flags"));

    /** The struct {@code info} used by BPF_OBJ_GET_INFO_BY_FD. */
    static final StructLayout OBJ_INFO = structLayout(
            u32("bpf_fd"),
            u32("info_len"),
            u64("info"));

    /** struct bpf_prog_info, the answer of BPF_OBJ_GET_INFO_BY_FD for a program. */
    static final StructLayout PROG_INFO = structLayout(
            u32("type"),
            u32("id"),
            chars(TAG_SIZE, "tag"),
            u32("jited_prog_len"),
            u32("xlated_prog_len"),
            u64("jited_prog_insns"),
            u64("xlated_prog_insns"),
            u64("load_time"),
            u32("created_by_uid"),
            u32("nr_map_ids"),
            u64("map_ids"),
            chars(OBJ_NAME_LEN, "name"),
            u32("ifindex"),
            u32("gpl_compatible"), // __u32 gpl_compatible:1 and 31 bits of padding
            u64("netns_dev"),
            u64("netns_ino"),
            u32("nr_jited_ksyms"),
            u32("nr_jited_func_lens"),
            u64("jited_ksyms"),
            u64("jited_func_lens"),
            u32("btf_id"),
            u32("func_info_rec_size"),
            u64("func_info"),
            u32("nr_func_info"),
            u32("nr_line_info"),
            u64("line_info"),
            u64("jited_line_info"),
            u32("nr_jited_line_info"),
            u32("line_info_rec_size"),
            u32("jited_line_info_rec_size"),
            u32("nr_prog_tags"),
            u64("prog_tags"),
            u64("run_time_ns"),
            u64("run_cnt"),
            u64("recursion_misses"),
            u32("verified_insns"),
            u32("attach_btf_obj_id"),
            u32("attach_btf_id"),
            paddingLayout(4));
}
