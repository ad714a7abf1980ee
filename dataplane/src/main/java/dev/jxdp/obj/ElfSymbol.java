package dev.jxdp.obj;

/** One ELF64 symbol (Elf64_Sym) with its resolved name. */
public record ElfSymbol(int index, String name, int info, int other, int sectionIndex, long value, long size) {
    public static final int STT_NOTYPE = 0;
    public static final int STT_OBJECT = 1;
    public static final int STT_FUNC = 2;
    public static final int STT_SECTION = 3;
    public static final int STT_FILE = 4;

    public static final int STB_LOCAL = 0;
    public static final int STB_GLOBAL = 1;
    public static final int STB_WEAK = 2;

    /** Special section indexes (SHN_*). */
    public static final int SHN_UNDEF = 0;
    public static final int SHN_ABS = 0xfff1;
    public static final int SHN_COMMON = 0xfff2;

    public int type() {
        return info & 0xf;
    }

    public int binding() {
        return info >>> 4;
    }

    public boolean isFunction() {
        return type() == STT_FUNC;
    }

    public boolean isSection() {
        return type() == STT_SECTION;
    }
}
