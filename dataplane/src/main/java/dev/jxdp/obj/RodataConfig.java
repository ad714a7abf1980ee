package dev.jxdp.obj;

import dev.jxdp.obj.btf.Btf;
import dev.jxdp.obj.btf.BtfType;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The libbpf "const volatile" configuration pattern: a program declares {@code const volatile __u32
 * max_len = 512;}, the value lands in {@code .rodata}, and user space changes it between opening the
 * object and loading it (skeletons write {@code skel->rodata->max_len}); the verifier then sees the
 * final constant. Here the variable is found by name through the BTF DATASEC of a {@code .rodata*}
 * section and the text value is encoded according to its BTF type.
 */
final class RodataConfig {
    private RodataConfig() {}

    static void apply(LoadContext ctx, MapDefinitions maps, Map<String, String> settings) {
        if (settings.isEmpty()) {
            return;
        }
        for (Map.Entry<String, String> setting : settings.entrySet()) {
            set(ctx, maps, setting.getKey(), setting.getValue());
        }
    }

    private static void set(LoadContext ctx, MapDefinitions maps, String name, String text) {
        List<String> known = new ArrayList<>();
        for (MapDefinitions.Entry e : maps.entries) {
            if (e.spec.origin().convention() != MapConvention.GLOBAL_DATA) {
                continue;
            }
            DatasecLayout layout;
            try {
                layout = DatasecLayout.of(ctx, e.section);
            } catch (IllegalArgumentException ex) {
                throw ctx.btfProblem(e.section, 0, "BTF DATASEC '" + e.section.name() + "'", ex);
            }
            if (layout == null) {
                continue;
            }
            boolean rodata = GlobalDataMaps.kindOf(e.section) == GlobalDataMaps.Kind.RODATA;
            DatasecLayout.Var var = layout.var(name);
            if (var == null) {
                if (rodata) {
                    layout.vars().forEach(v -> known.add(v.name()));
                }
                continue;
            }
            if (!rodata) {
                throw new IllegalArgumentException("variable '" + name + "' is in " + e.section.name()
                        + ", not in .rodata: only const volatile variables are set before load");
            }
            byte[] value = encode(ctx.btf, var, name, text);
            byte[] bytes = ((MapContents.Data) e.spec.contents()).bytes();
            System.arraycopy(value, 0, bytes, (int) var.offset(), value.length);
            e.spec = e.spec.withContents(new MapContents.Data(bytes, true));
            return;
        }
        throw new IllegalArgumentException("no .rodata variable '" + name + "' in " + ctx.file
                + (known.isEmpty() ? " (it has none with BTF)" : " (it has: " + String.join(", ", known) + ")"));
    }

    /** The bytes of {@code text} as a value of the variable's type (little-endian). */
    static byte[] encode(Btf btf, DatasecLayout.Var var, String name, String text) {
        int size = (int) var.size();
        String where = "rodata variable '" + name + "' (" + size + " bytes)";
        if (text.startsWith("hex:")) {
            byte[] raw;
            try {
                raw = HexFormat.of().parseHex(text.substring(4));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": '" + text + "' is not hex: " + e.getMessage());
            }
            if (raw.length != size) {
                throw new IllegalArgumentException(where + ": " + raw.length + " hex bytes given, the variable has " + size);
            }
            return raw;
        }
        int typeId = btf.skipAliases(var.typeId());
        BtfType t = typeId == 0 ? null : btf.type(typeId);
        return switch (t) {
            // C flags are often plain integers (const volatile __u8 enforce = 1): true/false fit any integer.
            case BtfType.Int i -> integer(where, size, i.signed() && (i.encoding() & BtfType.Int.BOOL) == 0, switch (text) {
                case "true" -> "1";
                case "false" -> "0";
                default -> text;
            });
            case BtfType.Enum e -> {
                for (BtfType.EnumValue v : e.values()) {
                    if (v.name().equals(text)) {
                        yield integer(where, size, e.signed(), Long.toString(v.value()));
                    }
                }
                yield integer(where, size, e.signed(), text);
            }
            case BtfType.Array a when isChar(btf, a.elementType()) -> {
                byte[] s = text.getBytes(StandardCharsets.UTF_8);
                if (s.length > size) {
                    throw new IllegalArgumentException(where + ": string of " + s.length + " bytes does not fit");
                }
                yield java.util.Arrays.copyOf(s, size);
            }
            case null, default -> throw new IllegalArgumentException(where + ": its type is not an integer, enum or char array; give the value as hex:"
                    + "00".repeat(Math.min(size, 4)) + (size > 4 ? "..." : ""));
        };
    }

    private static boolean isChar(Btf btf, int typeId) {
        int id = btf.skipAliases(typeId);
        return id != 0 && btf.type(id) instanceof BtfType.Int i && i.size() == 1;
    }

    private static byte[] integer(String where, int size, boolean signed, String text) {
        if (size < 1 || size > 16) {
            throw new IllegalArgumentException(where + ": integers of " + size + " bytes are not supported");
        }
        BigInteger v;
        try {
            String t = text.trim();
            boolean neg = t.startsWith("-");
            String digits = neg ? t.substring(1) : t;
            v = digits.startsWith("0x") || digits.startsWith("0X") ? new BigInteger(digits.substring(2), 16) : new BigInteger(digits);
            if (neg) {
                v = v.negate();
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": '" + text + "' is not a number");
        }
        BigInteger min = signed ? BigInteger.ONE.shiftLeft(size * 8 - 1).negate() : BigInteger.ZERO;
        BigInteger max = signed ? BigInteger.ONE.shiftLeft(size * 8 - 1).subtract(BigInteger.ONE)
                : BigInteger.ONE.shiftLeft(size * 8).subtract(BigInteger.ONE);
        if (v.compareTo(min) < 0 || v.compareTo(max) > 0) {
            throw new IllegalArgumentException(where + ": " + text + " is out of range " + min + ".." + max);
        }
        byte[] out = new byte[size];
        for (int i = 0; i < size; i++) {
            out[i] = v.shiftRight(8 * i).byteValue();
        }
        return out;
    }
}
