package dev.jxdp.load;

import java.io.ByteArrayOutputStream;
import java.util.function.LongFunction;

/**
 * The printf of bpf_trace_printk, bpf_trace_vprintk and bpf_snprintf: the checks of the kernel's
 * bpf_bprintf_prepare (kernel/bpf/helpers.c) and the output of its bstr_printf (lib/vsprintf.c) for
 * what those checks let through:
 *
 * <ul>
 *   <li>{@code %d %i %u %x %X} on 32-bit arguments, {@code l} or {@code ll} for 64-bit, with the flags
 *       {@code 0 + - space} and a width; {@code %c}; {@code %s} (read from the program's memory, empty
 *       when unreadable); {@code %%};
 *   <li>{@code %pI4 %pi4 %pI6 %pi6} (addresses read from memory, zeros when unreadable), {@code %px}
 *       (16 hex digits); {@code %p %pK %ps %pS %pB} print as {@code %px} does, since jxdp has neither
 *       the kernel's pointer hashing key nor its symbols;
 *   <li>anything else, a non-printable format byte, or more conversions than arguments: EINVAL.
 * </ul>
 */
final class BpfPrintf {
    /** MAX_BPRINTF_BUF: the kernel formats into (and copies strings into) buffers of this size. */
    static final int MAX_BUF = 1024;

    private BpfPrintf() {}

    /** The formatted bytes, or null for EINVAL. */
    static byte[] format(byte[] fmt, long[] args, int numArgs, LongFunction<byte[]> readString, Reader read) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int spec = 0;
        int stringBudget = MAX_BUF;
        int n = fmt.length;
        for (int i = 0; i < n; i++) {
            int c = fmt[i] & 0xff;
            if (c >= 0x80 || !(c >= 0x20 && c < 0x7f || c == ' ' || c >= 9 && c <= 13)) {
                return null;
            }
            if (c != '%') {
                out.write(c);
                continue;
            }
            if (at(fmt, i + 1) == '%') {
                out.write('%');
                i++;
                continue;
            }
            if (spec >= numArgs) {
                return null;
            }
            long arg = args[spec++];
            i++;
            boolean zero = false;
            boolean plus = false;
            boolean left = false;
            boolean space = false;
            for (int f = at(fmt, i); f == '0' || f == '+' || f == '-' || f == ' '; f = at(fmt, ++i)) {
                zero |= f == '0';
                plus |= f == '+';
                left |= f == '-';
                space |= f == ' ';
            }
            int width = -1;
            if (at(fmt, i) >= '1' && at(fmt, i) <= '9') {
                width = 0;
                while (at(fmt, i) >= '0' && at(fmt, i) <= '9') {
                    width = width * 10 + at(fmt, i++) - '0';
                }
            }
            int conv = at(fmt, i);
            String text;
            if (conv == 'p') {
                int m = at(fmt, i + 1);
                if (m == 0 || isSpaceOrPunct(m)) {
                    text = hexPointer(arg, width);
                    width = -1;
                } else if ((m == 'k' || m == 'u') && at(fmt, i + 2) == 's') {
                    i += 2;
                    if (!endsConversion(at(fmt, i + 1))) {
                        return null;
                    }
                    byte[] s = limit(readString.apply(arg), stringBudget);
                    stringBudget -= s.length + 1;
                    text = new String(s, java.nio.charset.StandardCharsets.ISO_8859_1);
                } else if (m == 'K' || m == 'x' || m == 's' || m == 'S' || m == 'B') {
                    i++;
                    text = m == 'x' || m == 'K' ? hexPointer(arg, width) : "0x" + Long.toHexString(arg);
                    if (m == 'x' || m == 'K') {
                        width = -1;
                    }
                } else if ((m == 'i' || m == 'I') && (at(fmt, i + 2) == '4' || at(fmt, i + 2) == '6')) {
                    boolean v6 = at(fmt, i + 2) == '6';
                    i += 2;
                    byte[] ip = read.read(arg, v6 ? 16 : 4);
                    stringBudget -= v6 ? 16 : 4;
                    text = v6 ? ipv6(ip, m == 'I') : ipv4(ip, m == 'i');
                } else {
                    return null;
                }
                out.writeBytes(pad(text, width, left, false).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                continue;
            }
            if (conv == 's' || conv == 'c') {
                if (!endsConversion(at(fmt, i + 1))) {
                    return null;
                }
                if (conv == 's') {
                    byte[] s = limit(readString.apply(arg), stringBudget);
                    stringBudget -= s.length + 1;
                    text = new String(s, java.nio.charset.StandardCharsets.ISO_8859_1);
                } else {
                    text = String.valueOf((char) (arg & 0xff));
                }
                out.writeBytes(pad(text, width, left, false).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                continue;
            }
            boolean wide = false;
            if (conv == 'l') {
                wide = true;
                conv = at(fmt, ++i);
                if (conv == 'l') {
                    conv = at(fmt, ++i);
                }
            }
            if (conv != 'i' && conv != 'd' && conv != 'u' && conv != 'x' && conv != 'X') {
                return null;
            }
            long v = wide ? arg : conv == 'd' || conv == 'i' ? (int) arg : arg & 0xffff_ffffL;
            text = number(v, conv, wide, width, zero && !left, plus, space);
            out.writeBytes(pad(text, width, left, false).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        return out.toByteArray();
    }

    /** Reads {@code length} bytes at an address, zeros if it cannot. */
    @FunctionalInterface
    interface Reader {
        byte[] read(long address, int length);
    }

    private static int at(byte[] fmt, int i) {
        return i < fmt.length ? fmt[i] & 0xff : 0;
    }

    private static boolean isSpaceOrPunct(int c) {
        return c == ' ' || c >= 9 && c <= 13 || c > 0x20 && c < 0x7f && !Character.isLetterOrDigit(c);
    }

    /** What may follow %s, %c and %pks: the end, a space or punctuation. */
    private static boolean endsConversion(int c) {
        return c == 0 || isSpaceOrPunct(c);
    }

    private static byte[] limit(byte[] s, int budget) {
        int max = Math.max(0, budget - 1);
        return s.length <= max ? s : java.util.Arrays.copyOf(s, max);
    }

    private static String hexPointer(long v, int width) {
        String h = Long.toHexString(v);
        int w = width < 0 ? 16 : width;
        return "0".repeat(Math.max(0, w - h.length())) + h;
    }

    private static String number(long v, int conv, boolean wide, int width, boolean zero, boolean plus, boolean space) {
        String sign = "";
        String digits;
        if (conv == 'd' || conv == 'i') {
            if (v < 0) {
                sign = "-";
                digits = v == Long.MIN_VALUE ? "9223372036854775808" : Long.toString(-v);
            } else {
                sign = plus ? "+" : space ? " " : "";
                digits = Long.toString(v);
            }
        } else if (conv == 'u') {
            digits = Long.toUnsignedString(v);
        } else {
            digits = Long.toHexString(v);
            if (conv == 'X') {
                digits = digits.toUpperCase(java.util.Locale.ROOT);
            }
        }
        if (zero && width > sign.length() + digits.length()) {
            digits = "0".repeat(width - sign.length() - digits.length()) + digits;
        }
        return sign + digits;
    }

    private static String pad(String s, int width, boolean left, boolean zero) {
        if (width <= s.length()) {
            return s;
        }
        String fill = " ".repeat(width - s.length());
        return left ? s + fill : fill + s;
    }

    private static String ipv4(byte[] ip, boolean leadingZeros) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            if (i > 0) {
                b.append('.');
            }
            int octet = ip[i] & 0xff;
            b.append(leadingZeros ? String.format("%03d", octet) : Integer.toString(octet));
        }
        return b.toString();
    }

    private static String ipv6(byte[] ip, boolean colons) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 16; i += 2) {
            if (colons && i > 0) {
                b.append(':');
            }
            b.append(String.format("%02x%02x", ip[i] & 0xff, ip[i + 1] & 0xff));
        }
        return b.toString();
    }
}
