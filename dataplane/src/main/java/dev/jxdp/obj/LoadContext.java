package dev.jxdp.obj;

import dev.jxdp.obj.btf.Btf;
import dev.jxdp.obj.btf.BtfExt;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What every step of one load shares: the parsed file, its BTF, the options, relocations indexed by
 * place, and the error constructors that turn a section and an offset within it into the one-line
 * messages of {@link ObjectLoadException}.
 */
final class LoadContext {
    final String file;
    final ElfFile elf;
    final LoadOptions options;
    final Btf btf;
    final BtfExt btfExt;
    private final Map<Integer, Map<Long, ElfRelocation>> relocations = new HashMap<>();

    LoadContext(String file, ElfFile elf, LoadOptions options, Btf btf, BtfExt btfExt) {
        this.file = file;
        this.elf = elf;
        this.options = options;
        this.btf = btf;
        this.btfExt = btfExt;
        for (ElfRelocation r : elf.relocations()) {
            ElfRelocation old = relocations.computeIfAbsent(r.targetSection(), k -> new HashMap<>()).put(r.offset(), r);
            if (old != null) {
                ElfSection s = elf.sections().get(r.targetSection());
                throw format(s, r.offset(), "two relocations for the same place (offset 0x" + Long.toHexString(r.offset()) + ")");
            }
        }
    }

    /** The relocations that apply to a section, by offset within it. */
    Map<Long, ElfRelocation> relocationsOf(ElfSection section) {
        return relocations.getOrDefault(section.index(), Map.of());
    }

    ElfSymbol symbol(ElfRelocation r) {
        return elf.symbols().get(r.symbol());
    }

    ElfSection section(int index) {
        return elf.sections().get(index);
    }

    /** File offset of a place in a section (sections without file data are reported at their header's offset). */
    long fileOffset(ElfSection s, long offsetInSection) {
        return s.offset() + offsetInSection;
    }

    ObjectFormatException format(ElfSection s, long offsetInSection, String problem) {
        return new ObjectFormatException(file, s == null ? null : s.name(), s == null ? offsetInSection : fileOffset(s, offsetInSection), problem);
    }

    UnsupportedFeatureException unsupported(ElfSection s, long offsetInSection, String problem) {
        return new UnsupportedFeatureException(file, s == null ? null : s.name(), s == null ? offsetInSection : fileOffset(s, offsetInSection), problem);
    }

    ProgramRefusedException refused(ElfSection s, long offsetInSection, String problem) {
        return new ProgramRefusedException(file, s == null ? null : s.name(), s == null ? offsetInSection : fileOffset(s, offsetInSection), problem);
    }

    /** A BTF problem found while reading something that lives at a place in a section. */
    ObjectFormatException btfProblem(ElfSection s, long offsetInSection, String what, RuntimeException e) {
        return format(s, offsetInSection, what + ": " + e.getMessage());
    }

    List<ElfSection> sections() {
        return elf.sections();
    }
}
