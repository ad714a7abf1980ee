package dev.jxdp.obj;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The maps of an object while it is being loaded: the specs in libbpf's order, where each was defined
 * (so that relocations can find them), and the {@code .values} slots still waiting for program and
 * map names.
 */
final class MapDefinitions {
    /** A map being built; {@code slots} holds {@code .values} slot to symbol for later resolution. */
    static final class Entry {
        MapSpec spec;
        final ElfSection section;
        final long offset;
        final Map<Integer, ElfSymbol> slotSymbols = new HashMap<>();
        final Map<Integer, Long> slotRelocationOffsets = new HashMap<>();

        Entry(MapSpec spec, ElfSection section, long offset) {
            this.spec = spec;
            this.section = section;
            this.offset = offset;
        }
    }

    final List<Entry> entries = new ArrayList<>();

    int add(MapSpec spec, ElfSection section, long offset) {
        entries.add(new Entry(spec, section, offset));
        return entries.size() - 1;
    }

    /** The map defined at exactly this place of a map section, or -1. */
    int indexAt(int sectionIndex, long offset) {
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            if (e.section.index() == sectionIndex && e.offset == offset
                    && e.spec.origin().convention() != MapConvention.GLOBAL_DATA) {
                return i;
            }
        }
        return -1;
    }

    /** The global data map of a section, or -1. */
    int dataMapOf(int sectionIndex) {
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            if (e.section.index() == sectionIndex && e.spec.origin().convention() == MapConvention.GLOBAL_DATA) {
                return i;
            }
        }
        return -1;
    }

    int indexOf(String name) {
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).spec.name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    List<MapSpec> specs() {
        return entries.stream().map(e -> e.spec).toList();
    }
}
