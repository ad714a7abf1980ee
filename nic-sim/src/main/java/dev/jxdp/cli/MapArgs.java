package dev.jxdp.cli;

import dev.jxdp.maps.MapFlags;
import java.util.ArrayList;
import java.util.List;

/**
 * bpftool's map arguments after the object file: {@code MAP [key DATA] [value VALUE] [UPDATE_FLAGS]}
 * with {@code MAP := id N | name NAME | NAME}, {@code DATA := [hex] BYTES} (each byte one word, read by
 * strtoul: decimal, 0x hex or 0 octal, or all hex after {@code hex}; kept to its low 8 bits, as bpftool
 * does), {@code VALUE := DATA | MAP | PROG} (maps for map-in-maps, programs for prog arrays) and
 * {@code UPDATE_FLAGS := any | exist | noexist}. Error messages are bpftool's.
 */
final class MapArgs {
    final List<String> map;
    final List<String> key;
    final List<String> value;
    final long flags;

    private MapArgs(List<String> map, List<String> key, List<String> value, long flags) {
        this.map = map;
        this.key = key;
        this.value = value;
        this.flags = flags;
    }

    private static boolean isPrefix(String word, String keyword) {
        return !word.isEmpty() && keyword.startsWith(word);
    }

    /** Splits the words; {@code keyAllowed}/{@code valueAllowed} say which parts the command takes. */
    static MapArgs parse(List<String> words, boolean keyAllowed, boolean valueAllowed) {
        if (words.isEmpty()) {
            throw new IllegalArgumentException("map expected (id N, name NAME or NAME)");
        }
        int i = 0;
        List<String> map;
        if (words.get(0).equals("id") || words.get(0).equals("name")) {
            if (words.size() < 2) {
                throw new IllegalArgumentException("expected " + words.get(0) + " after 'map " + words.get(0) + "'");
            }
            map = List.of(words.get(0), words.get(1));
            i = 2;
        } else if (words.get(0).equals("pinned")) {
            throw new IllegalArgumentException("'pinned' needs a bpffs, which jxdp objects have none of: use id N or name NAME");
        } else {
            map = List.of(words.get(0));
            i = 1;
        }
        List<String> key = null;
        List<String> value = null;
        long flags = MapFlags.ANY;
        while (i < words.size()) {
            String w = words.get(i);
            if (w.equals("key")) {
                if (!keyAllowed) {
                    throw new IllegalArgumentException("no key expected");
                }
                key = new ArrayList<>();
                for (i++; i < words.size() && !isKeyword(words.get(i)); i++) {
                    key.add(words.get(i));
                }
            } else if (w.equals("value")) {
                if (!valueAllowed) {
                    throw new IllegalArgumentException("no value expected");
                }
                value = new ArrayList<>();
                for (i++; i < words.size() && !isKeyword(words.get(i)); i++) {
                    value.add(words.get(i));
                }
            } else if (valueAllowed && (w.equals("any") || w.equals("exist") || w.equals("noexist"))) {
                flags = switch (w) {
                    case "exist" -> MapFlags.EXIST;
                    case "noexist" -> MapFlags.NOEXIST;
                    default -> MapFlags.ANY;
                };
                i++;
            } else {
                throw new IllegalArgumentException("expected key or value, got: " + w);
            }
        }
        return new MapArgs(map, key, value, flags);
    }

    private static boolean isKeyword(String w) {
        return w.equals("key") || w.equals("value") || w.equals("any") || w.equals("exist") || w.equals("noexist");
    }

    /** parse_bytes: exactly {@code n} bytes, else bpftool's error. */
    static byte[] bytes(List<String> words, String what, int n) {
        int base = 0;
        int start = 0;
        if (!words.isEmpty() && isPrefix(words.get(0), "hex")) {
            base = 16;
            start = 1;
        }
        List<String> tokens = words.subList(start, words.size());
        byte[] out = new byte[n];
        int i = 0;
        for (; i < n && i < tokens.size(); i++) {
            out[i] = (byte) strtoul(tokens.get(i), base);
        }
        if (tokens.size() > n) {
            throw new IllegalArgumentException("expected key or value, got: " + tokens.get(n));
        }
        if (tokens.size() < n) {
            throw new IllegalArgumentException(what + " expected " + n + " bytes got " + tokens.size());
        }
        return out;
    }

    /** strtoul with a whole-word check: base 0 takes 0x.. as hex and 0.. as octal; base 16 takes an optional 0x. */
    static long strtoul(String word, int base) {
        String s = word;
        boolean negative = false;
        if (s.startsWith("-") || s.startsWith("+")) {
            negative = s.startsWith("-");
            s = s.substring(1);
        }
        int radix = base;
        if ((base == 0 || base == 16) && (s.startsWith("0x") || s.startsWith("0X")) && s.length() > 2) {
            s = s.substring(2);
            radix = 16;
        } else if (base == 0) {
            radix = s.length() > 1 && s.startsWith("0") ? 8 : 10;
        }
        try {
            long v = Long.parseUnsignedLong(s, radix);
            return negative ? -v : v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("error parsing byte: " + word);
        }
    }
}
