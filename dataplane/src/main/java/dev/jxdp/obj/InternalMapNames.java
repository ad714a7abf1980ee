package dev.jxdp.obj;

/**
 * Names of global data maps as libbpf gives them (internal_map_name in tools/lib/bpf/libbpf.c) and
 * bpftool shows them. The name has room for 15 bytes (BPF_OBJ_NAME_LEN less the NUL). libbpf reserves
 * at least 7 of them for the section name and fills up to 8 with the start of the object name:
 * {@code xdp_dns_amp_guard.o}'s {@code .rodata} becomes {@code xdp_dns_.rodata}, its {@code .bss}
 * {@code xdp_dns_.bss} (the 7 bytes stay reserved even for a 4-byte section name). A section name
 * with a second dot ({@code .rodata.str1.1}, {@code .data.counters}) gets no prefix. The result is cut
 * to 15 bytes and every byte the kernel does not allow in names (anything but letters, digits, '_' and
 * '.') becomes '_'.
 */
public final class InternalMapNames {
    private InternalMapNames() {}

    private static final int NAME_LEN = 16; // BPF_OBJ_NAME_LEN, with the NUL

    /** The object name libbpf derives from a path: the file name up to its first dot. */
    public static String objectName(String path) {
        String base = path;
        int slash = base.lastIndexOf('/');
        if (slash >= 0) {
            base = base.substring(slash + 1);
        }
        int dot = base.indexOf('.');
        return dot >= 0 ? base.substring(0, dot) : base;
    }

    public static String of(String objectName, String sectionName) {
        byte[] sfx = sectionName.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] pfx = objectName.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int sfxLen = Math.min(Math.max(7, sfx.length), NAME_LEN - 1);
        int pfxLen = sectionName.indexOf('.', 1) >= 0 ? 0 : Math.min(NAME_LEN - sfxLen - 1, pfx.length);
        byte[] out = new byte[NAME_LEN - 1];
        int n = 0;
        for (int i = 0; i < pfxLen && n < out.length; i++) {
            out[n++] = pfx[i];
        }
        for (int i = 0; i < Math.min(sfxLen, sfx.length) && n < out.length; i++) {
            out[n++] = sfx[i];
        }
        StringBuilder name = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            char c = (char) (out[i] & 0xff);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
            name.append(ok ? c : '_');
        }
        return name.toString();
    }
}
