package dev.jxdp.obj;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A parsed ELF64 little-endian EM_BPF relocatable object: its sections, symbols and relocations.
 * Every header field that points into the file is checked against the file's length before use, so
 * a truncated or lying file fails with one {@link ObjectFormatException} and never allocates more
 * than the file itself.
 */
public final class ElfFile {
    public static final int EM_BPF = 247;
    private static final int EHDR_SIZE = 64;
    private static final int SHDR_SIZE = 64;
    private static final int SYM_SIZE = 24;
    private static final int REL_SIZE = 16;
    private static final int SHN_XINDEX = 0xffff;

    private final String file;
    private final byte[] bytes;
    private final int type;
    private final long flags;
    private final List<ElfSection> sections;
    private final List<ElfSymbol> symbols;
    private final List<ElfRelocation> relocations;

    private ElfFile(String file, byte[] bytes, int type, long flags, List<ElfSection> sections,
            List<ElfSymbol> symbols, List<ElfRelocation> relocations) {
        this.file = file;
        this.bytes = bytes;
        this.type = type;
        this.flags = flags;
        this.sections = sections;
        this.symbols = symbols;
        this.relocations = relocations;
    }

    /** True when the bytes start with the ELF magic number. */
    public static boolean looksLikeElf(byte[] bytes) {
        return bytes.length >= 4 && bytes[0] == 0x7f && bytes[1] == 'E' && bytes[2] == 'L' && bytes[3] == 'F';
    }

    /**
     * Parses an object.
     *
     * @param file the name to use in error messages (usually the path given by the user)
     */
    public static ElfFile parse(String file, byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < EHDR_SIZE) {
            throw new ObjectFormatException(file, null, bytes.length,
                    "truncated ELF header: file has " + bytes.length + " bytes, the header needs " + EHDR_SIZE);
        }
        if (!looksLikeElf(bytes)) {
            throw new ObjectFormatException(file, null, 0, "not an ELF file (bad magic number)");
        }
        if (bytes[4] != 2) {
            throw new ObjectFormatException(file, null, 4, "ELF class " + bytes[4] + " is not ELFCLASS64 (2)");
        }
        if (bytes[5] != 1) {
            throw new ObjectFormatException(file, null, 5,
                    "ELF data encoding " + bytes[5] + " is not little-endian (ELFDATA2LSB); big-endian BPF objects are not supported");
        }
        int type = Short.toUnsignedInt(in.getShort(16));
        int machine = Short.toUnsignedInt(in.getShort(18));
        if (machine != EM_BPF) {
            throw new ObjectFormatException(file, null, 18, "machine " + machine + " is not EM_BPF (247)");
        }
        long flags = Integer.toUnsignedLong(in.getInt(48));
        long shoff = in.getLong(40);
        int shentsize = Short.toUnsignedInt(in.getShort(58));
        int shnum = Short.toUnsignedInt(in.getShort(60));
        int shstrndx = Short.toUnsignedInt(in.getShort(62));
        if (shoff == 0) {
            return new ElfFile(file, bytes, type, flags, List.of(), List.of(), List.of());
        }
        if (shentsize != SHDR_SIZE) {
            throw new ObjectFormatException(file, null, 58, "section header size " + shentsize + " is not " + SHDR_SIZE);
        }
        checkRange(file, null, 40, shoff, SHDR_SIZE, bytes.length, "section header table");
        if (shnum == 0) {
            // Extended numbering: the real count is in section 0's sh_size.
            long real = in.getLong((int) shoff + 32);
            if (real > bytes.length / SHDR_SIZE) {
                throw new ObjectFormatException(file, null, shoff + 32, "section count " + real + " cannot fit in the file");
            }
            shnum = (int) real;
        }
        checkRange(file, null, 40, shoff, (long) shnum * SHDR_SIZE, bytes.length, "section header table");
        if (shstrndx == SHN_XINDEX) {
            shstrndx = in.getInt((int) shoff + 40);
        }
        if (shstrndx < 0 || shstrndx >= shnum) {
            throw new ObjectFormatException(file, null, 62, "section name table index " + shstrndx + " is out of range (" + shnum + " sections)");
        }

        long[][] raw = new long[shnum][];
        for (int i = 0; i < shnum; i++) {
            int at = (int) (shoff + (long) i * SHDR_SIZE);
            raw[i] = new long[] {
                Integer.toUnsignedLong(in.getInt(at)), Integer.toUnsignedLong(in.getInt(at + 4)), in.getLong(at + 8),
                in.getLong(at + 24), in.getLong(at + 32), Integer.toUnsignedLong(in.getInt(at + 40)),
                Integer.toUnsignedLong(in.getInt(at + 44)), in.getLong(at + 56), at
            };
        }
        long[] strtabHeader = raw[shstrndx];
        if (strtabHeader[1] != ElfSection.SHT_STRTAB) {
            throw new ObjectFormatException(file, "#" + shstrndx, strtabHeader[8] + 4, "section name table is not a string table (type " + strtabHeader[1] + ")");
        }
        checkRange(file, "#" + shstrndx, strtabHeader[8] + 24, strtabHeader[3], strtabHeader[4], bytes.length, "section name table");
        List<ElfSection> sections = new ArrayList<>(shnum);
        for (int i = 0; i < shnum; i++) {
            long[] h = raw[i];
            String name = i == 0 ? "" : string(file, bytes, strtabHeader, h[0], "#" + i, h[8]);
            // Checked after the name is known, so that the error can name the section.
            boolean nobits = h[1] == ElfSection.SHT_NOBITS || h[1] == ElfSection.SHT_NULL;
            if (!nobits) {
                checkRange(file, name.isEmpty() ? "#" + i : name, h[8] + 24, h[3], h[4], bytes.length, "section data");
            } else if (h[4] < 0) {
                // A NOBITS section (.bss) takes no file bytes, so the range check above does not bound
                // it; a size past 2^63 can only be a corrupt header, and would read as negative below.
                throw new ObjectFormatException(file, name.isEmpty() ? "#" + i : name, h[8] + 32,
                        "section size 0x" + Long.toHexString(h[4]) + " is larger than any object can hold");
            }
            sections.add(new ElfSection(i, name, (int) h[1], h[2], h[3], h[4], (int) h[5], (int) h[6], h[7]));
        }
        List<ElfSymbol> symbols = readSymbols(file, bytes, in, sections);
        List<ElfRelocation> relocations = readRelocations(file, in, sections, symbols.size());
        return new ElfFile(file, bytes, type, flags, List.copyOf(sections), symbols, relocations);
    }

    private static List<ElfSymbol> readSymbols(String file, byte[] bytes, ByteBuffer in, List<ElfSection> sections) {
        ElfSection symtab = null;
        for (ElfSection s : sections) {
            if (s.type() == ElfSection.SHT_SYMTAB) {
                if (symtab != null) {
                    throw new ObjectFormatException(file, s.name(), s.offset(), "a second symbol table");
                }
                symtab = s;
            }
        }
        if (symtab == null) {
            return List.of();
        }
        if (symtab.size() % SYM_SIZE != 0) {
            throw new ObjectFormatException(file, symtab.name(), symtab.offset(),
                    "symbol table size " + symtab.size() + " is not a multiple of " + SYM_SIZE);
        }
        if (symtab.link() <= 0 || symtab.link() >= sections.size()) {
            throw new ObjectFormatException(file, symtab.name(), symtab.offset(), "symbol table links to no string table (sh_link " + symtab.link() + ")");
        }
        ElfSection strtab = sections.get(symtab.link());
        if (strtab.type() != ElfSection.SHT_STRTAB) {
            throw new ObjectFormatException(file, symtab.name(), symtab.offset(), "symbol table links to section " + strtab.name() + ", which is not a string table");
        }
        long[] strHeader = {0, strtab.type(), 0, strtab.offset(), strtab.size()};
        int n = (int) (symtab.size() / SYM_SIZE);
        List<ElfSymbol> symbols = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int at = (int) (symtab.offset() + (long) i * SYM_SIZE);
            long nameOff = Integer.toUnsignedLong(in.getInt(at));
            int info = Byte.toUnsignedInt(in.get(at + 4));
            int other = Byte.toUnsignedInt(in.get(at + 5));
            int shndx = Short.toUnsignedInt(in.getShort(at + 6));
            String name = string(file, bytes, strHeader, nameOff, symtab.name(), at);
            boolean special = shndx == ElfSymbol.SHN_UNDEF || shndx >= 0xff00;
            if (!special && shndx >= sections.size()) {
                throw new ObjectFormatException(file, symtab.name(), at + 6,
                        "symbol '" + name + "' points to section " + shndx + ", which does not exist");
            }
            symbols.add(new ElfSymbol(i, name, info, other, shndx, in.getLong(at + 8), in.getLong(at + 16)));
        }
        return List.copyOf(symbols);
    }

    private static List<ElfRelocation> readRelocations(String file, ByteBuffer in, List<ElfSection> sections, int symbolCount) {
        List<ElfRelocation> relocations = new ArrayList<>();
        for (ElfSection s : sections) {
            if (s.type() == ElfSection.SHT_RELA) {
                throw new ObjectFormatException(file, s.name(), s.offset(), "RELA relocations are not used by BPF objects");
            }
            if (s.type() != ElfSection.SHT_REL) {
                continue;
            }
            if (s.size() % REL_SIZE != 0) {
                throw new ObjectFormatException(file, s.name(), s.offset(), "relocation section size " + s.size() + " is not a multiple of " + REL_SIZE);
            }
            if (s.info() <= 0 || s.info() >= sections.size()) {
                throw new ObjectFormatException(file, s.name(), s.offset(), "relocations apply to section " + s.info() + ", which does not exist");
            }
            ElfSection target = sections.get(s.info());
            for (long at = s.offset(); at < s.offset() + s.size(); at += REL_SIZE) {
                long offset = in.getLong((int) at);
                long info = in.getLong((int) at + 8);
                int sym = (int) (info >>> 32);
                if (sym < 0 || sym >= symbolCount) {
                    throw new ObjectFormatException(file, s.name(), at, "relocation refers to symbol " + (info >>> 32) + ", which does not exist");
                }
                if (Long.compareUnsigned(offset, target.size()) >= 0) {
                    throw new ObjectFormatException(file, s.name(), at,
                            "relocation at 0x" + Long.toHexString(offset) + " lies outside section " + target.name() + " (size 0x" + Long.toHexString(target.size()) + ")");
                }
                relocations.add(new ElfRelocation(s.info(), offset, (int) info, sym));
            }
        }
        return List.copyOf(relocations);
    }

    private static String string(String file, byte[] bytes, long[] strtab, long offset, String where, long fieldAt) {
        if (offset >= strtab[4]) {
            throw new ObjectFormatException(file, where, fieldAt,
                    "name offset " + offset + " lies outside the string table (size " + strtab[4] + ")");
        }
        int start = (int) (strtab[3] + offset);
        int end = start;
        int limit = (int) (strtab[3] + strtab[4]);
        while (end < limit && bytes[end] != 0) {
            end++;
        }
        if (end == limit) {
            throw new ObjectFormatException(file, where, fieldAt, "name at string table offset " + offset + " is not NUL-terminated");
        }
        return new String(bytes, start, end - start, StandardCharsets.UTF_8);
    }

    private static void checkRange(String file, String section, long fieldAt, long offset, long size, long fileLength, String what) {
        if (offset < 0 || size < 0 || offset > fileLength || size > fileLength - offset) {
            throw new ObjectFormatException(file, section, fieldAt,
                    what + " at 0x" + Long.toHexString(offset) + " of size 0x" + Long.toHexString(size)
                            + " lies outside the file (0x" + Long.toHexString(fileLength) + " bytes)");
        }
    }

    public String file() {
        return file;
    }

    /** e_type: ET_REL (1) for the objects clang builds. */
    public int type() {
        return type;
    }

    public long flags() {
        return flags;
    }

    public List<ElfSection> sections() {
        return sections;
    }

    public List<ElfSymbol> symbols() {
        return symbols;
    }

    public List<ElfRelocation> relocations() {
        return relocations;
    }

    public Optional<ElfSection> section(String name) {
        return sections.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** The bytes of a section (zeros for NOBITS sections such as .bss, whose size is bounded by the caller). */
    public byte[] contents(ElfSection section) {
        if (!section.hasFileData()) {
            return new byte[0];
        }
        return Arrays.copyOfRange(bytes, (int) section.offset(), (int) (section.offset() + section.size()));
    }

    /** Symbols defined in a section, ordered by address. */
    public List<ElfSymbol> symbolsIn(ElfSection section) {
        return symbols.stream()
                .filter(s -> s.sectionIndex() == section.index())
                .sorted((a, b) -> Long.compareUnsigned(a.value(), b.value()))
                .toList();
    }
}
