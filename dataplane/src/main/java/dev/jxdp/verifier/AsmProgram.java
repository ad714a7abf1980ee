package dev.jxdp.verifier;

import dev.jxdp.isa.Assembler;
import dev.jxdp.isa.AssemblyException;
import dev.jxdp.obj.MapContents;
import dev.jxdp.obj.MapConvention;
import dev.jxdp.obj.MapSpec;
import dev.jxdp.obj.MapType;
import dev.jxdp.obj.ProgramType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A hand-assembled program with its header, the format of programs/verifier/asm/*.s: assembler
 * syntax ({@link Assembler}) plus comment lines that say what a loader needs and what the kernel
 * answers:
 *
 * <pre>
 * ; type: xdp                                  (or tc)
 * ; license: GPL                               (the default)
 * ; map flows: hash key=4 value=8 entries=16   (maps, by name; flags=N optional)
 * ; kernel: reject                             (or accept: the kernel's verdict, recorded)
 * ; error: R0 invalid mem access 'scalar'      (the kernel's first error line, for rejects)
 * r1 = map[flows] ll                           (a map reference: ld_imm64 BPF_PSEUDO_MAP_FD)
 * raw 8e 00 00 00 00 00 00 00                  (one raw 8-byte slot, for what the assembler refuses)
 * </pre>
 */
public record AsmProgram(String name, ProgramType type, String license, List<MapSpec> maps, Boolean kernelAccepts,
                         String kernelError, byte[] insns) {

    private static final Pattern HEADER = Pattern.compile("^\\s*;\\s*([a-z]+)(?:\\s+([A-Za-z_][\\w.]*))?\\s*:\\s*(.*?)\\s*$");
    private static final Pattern MAP_REF = Pattern.compile("\\b([rw]\\d+)\\s*=\\s*map\\[([A-Za-z_][\\w.]*)\\]\\s*ll\\b");
    private static final Pattern RAW = Pattern.compile("^\\s*(?:[A-Za-z_.$][\\w.$]*\\s*:\\s*)?raw((?:\\s+[0-9a-fA-F]{2}){8})\\s*(?:[;#].*)?$");

    public AsmProgram {
        maps = List.copyOf(maps);
        insns = insns.clone();
    }

    @Override
    public byte[] insns() {
        return insns.clone();
    }

    public boolean gplCompatible() {
        return dev.jxdp.obj.License.isGplCompatible(license);
    }


    /** @throws IllegalArgumentException for a malformed header; {@link AssemblyException} for bad code */
    public static AsmProgram parse(String name, String text) {
        ProgramType type = ProgramType.XDP;
        String license = "GPL";
        Boolean accepts = null;
        String error = null;
        List<MapSpec> maps = new ArrayList<>();
        Map<String, Integer> mapIndex = new HashMap<>();
        String[] lines = text.split("\\R", -1);
        Map<Integer, byte[]> raw = new HashMap<>();
        List<String> body = new ArrayList<>();
        for (String line : lines) {
            Matcher h = HEADER.matcher(line);
            if (h.matches()) {
                String key = h.group(1);
                String arg = h.group(2);
                String value = h.group(3);
                switch (key) {
                    case "type" -> type = switch (value.toLowerCase(Locale.ROOT)) {
                        case "xdp" -> ProgramType.XDP;
                        case "tc", "sched_cls", "classifier" -> ProgramType.SCHED_CLS;
                        case "action", "sched_act" -> ProgramType.SCHED_ACT;
                        default -> throw new IllegalArgumentException("unknown program type '" + value + "'");
                    };
                    case "license" -> license = value;
                    case "kernel" -> accepts = switch (value) {
                        case "accept" -> true;
                        case "reject" -> false;
                        case "?" -> null; // not recorded yet
                        default -> throw new IllegalArgumentException("'; kernel:' takes accept or reject, not '" + value + "'");
                    };
                    case "error" -> error = value.equals("?") ? null : value;
                    case "map" -> {
                        if (arg == null) {
                            throw new IllegalArgumentException("'; map NAME: TYPE key=K value=V entries=N'");
                        }
                        mapIndex.put(arg, maps.size());
                        maps.add(map(arg, value));
                    }
                    default -> {}
                }
                body.add("");
                continue;
            }
            body.add(line);
        }
        // Replace raw slots by a placeholder of one slot so that labels keep their meaning.
        int slot = 0;
        for (int i = 0; i < body.size(); i++) {
            String line = body.get(i);
            Matcher r = RAW.matcher(line);
            if (r.matches()) {
                String[] hex = r.group(1).trim().split("\\s+");
                byte[] b = new byte[8];
                for (int k = 0; k < 8; k++) {
                    b[k] = (byte) Integer.parseInt(hex[k], 16);
                }
                raw.put(slot, b);
                body.set(i, line.replace("raw" + r.group(1), "r0 = r0"));
                slot++;
                continue;
            }
            Matcher m = MAP_REF.matcher(line);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                Integer idx = mapIndex.get(m.group(2));
                if (idx == null) {
                    throw new IllegalArgumentException("line " + (i + 1) + ": no map '" + m.group(2) + "' in the header");
                }
                m.appendReplacement(sb, "ld_pseudo r" + m.group(1).substring(1) + ", 0x1, " + idx);
            }
            m.appendTail(sb);
            body.set(i, sb.toString());
            slot += slotsOf(body.get(i));
        }
        byte[] insns = Assembler.assembleUnlinked(String.join("\n", body)).toBytes();
        for (Map.Entry<Integer, byte[]> e : raw.entrySet()) {
            System.arraycopy(e.getValue(), 0, insns, e.getKey() * 8, 8);
        }
        return new AsmProgram(name, type, license, maps, accepts, error, insns);
    }

    /** Slots a source line assembles to: 2 for ld_imm64 forms, 0 for empty lines, else 1. */
    private static int slotsOf(String line) {
        String s = line.replaceAll("(;|//|#).*", "").replaceFirst("^\\s*\\d+:\\s*", "").replaceFirst("^\\s*[A-Za-z_.$][\\w.$]*\\s*:\\s*", "")
                .strip();
        if (s.isEmpty()) {
            return 0;
        }
        return s.startsWith("ld_pseudo") || s.matches(".*\\sll$") ? 2 : 1;
    }

    private static MapSpec map(String name, String def) {
        String[] parts = def.trim().split("\\s+");
        MapType t;
        try {
            t = MapType.valueOf(parts[0].toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown map type '" + parts[0] + "'");
        }
        int key = 0;
        int value = 0;
        int entries = 1;
        int flags = 0;
        for (int i = 1; i < parts.length; i++) {
            String[] kv = parts[i].split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("map '" + name + "': expected key=value, got '" + parts[i] + "'");
            }
            int v = Integer.decode(kv[1]);
            switch (kv[0]) {
                case "key" -> key = v;
                case "value" -> value = v;
                case "entries" -> entries = v;
                case "flags" -> flags = v;
                default -> throw new IllegalArgumentException("map '" + name + "': unknown field '" + kv[0] + "'");
            }
        }
        return new MapSpec(name, t, key, value, entries, flags, 0, 0, 0, null, new MapContents.Empty(),
                new MapSpec.MapOrigin(MapConvention.BTF_MAPS, "asm", 0, 0, 0, null));
    }
}
