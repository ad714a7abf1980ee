package dev.jxdp.kernel;

import java.util.HexFormat;

/**
 * Part of {@code struct bpf_prog_info} for a loaded program.
 *
 * @param type the prog type value (see {@link ProgType#of})
 * @param id the kernel-wide program id, as {@code bpftool prog show id N} takes it
 * @param tag the program tag as bpftool prints it: 16 hex digits of the kernel's SHA-1-based digest
 *        of the instructions, with map fds blanked (kernel/bpf/core.c, bpf_prog_calc_tag)
 * @param name prog_name as the kernel stored it
 * @param xlatedLength bytes of the program after the verifier's rewrites (xlated_prog_len)
 * @param jitedLength bytes of machine code, 0 when not JIT-compiled (jited_prog_len)
 * @param verifiedInsns instructions the verifier processed (verified_insns)
 * @param gplCompatible whether the license was GPL-compatible
 */
public record ProgInfo(int type, int id, String tag, String name, int xlatedLength, int jitedLength,
                       int verifiedInsns, boolean gplCompatible) {

    static ProgInfo from(Struct info) {
        return new ProgInfo(
                info.getInt("type"),
                info.getInt("id"),
                HexFormat.of().formatHex(info.getBytes("tag")),
                info.getName("name"),
                info.getInt("xlated_prog_len"),
                info.getInt("jited_prog_len"),
                info.getInt("verified_insns"),
                (info.getInt("gpl_compatible") & 1) != 0); // bit 0 of the bit-field word on little-endian
    }
}
