package dev.jxdp.obj;

/**
 * One relocation (Elf64_Rel; BPF objects use REL, not RELA) of section {@code targetSection}: the
 * instruction or data at {@code offset} refers to symbol {@code symbol}.
 */
public record ElfRelocation(int targetSection, long offset, int type, int symbol) {
    /** R_BPF_* types (llvm/BinaryFormat/ELFRelocs/BPF.def). */
    public static final int R_BPF_NONE = 0;
    public static final int R_BPF_64_64 = 1;
    public static final int R_BPF_64_ABS64 = 2;
    public static final int R_BPF_64_ABS32 = 3;
    public static final int R_BPF_64_NODYLD32 = 4;
    public static final int R_BPF_64_32 = 10;
}
