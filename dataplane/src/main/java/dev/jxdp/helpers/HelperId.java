package dev.jxdp.helpers;

/**
 * One BPF helper function: its id (the imm of {@code call} with src_reg 0), its name without the
 * {@code bpf_} prefix as {@code ___BPF_FUNC_MAPPER} spells it, and whether the kernel lets only
 * GPL-compatible programs call it.
 */
public record HelperId(int id, String name, boolean gplOnly) {
    /** The C name, {@code bpf_map_lookup_elem}. */
    public String cName() {
        return "bpf_" + name;
    }
}
