package dev.jxdp.verifier;

/**
 * Register states as the kernel's log prints them (print_reg_state in kernel/bpf/log.c, Linux 6.18):
 * {@code 0}, {@code fp-8}, {@code ctx()}, {@code pkt(off=14,r=34)},
 * {@code scalar(smin=smin32=0,smax=umax=smax32=umax32=255,var_off=(0x0; 0xff))}.
 */
final class RegFormat {
    private RegFormat() {}

    static String format(Reg r) {
        return format(r, r.frameno);
    }

    /** {@code frame}: the frame whose register this is (a stack pointer into another frame says which). */
    static String format(Reg r, int frame) {
        StringBuilder sb = new StringBuilder();
        RegType t = r.type;
        if (t == RegType.NOT_INIT) {
            return "?";
        }
        if (t == RegType.SCALAR && r.var.isConst()) {
            return snum(r.var.value());
        }
        if (t == RegType.PTR_TO_STACK) {
            sb.append("fp");
            if (r.frameno != frame) {
                sb.append('[').append(r.frameno).append(']');
            }
            if (r.var.isConst()) {
                return sb.append(r.var.value() + r.off).toString();
            }
        } else {
            sb.append(typeName(r));
        }
        sb.append('(');
        Sep sep = new Sep(sb);
        if (r.id != 0) {
            sep.add("id=" + r.id);
        }
        if (r.refObjId != 0) {
            sep.add("ref_obj_id=" + r.refObjId);
        }
        if (t == RegType.CONST_PTR_TO_MAP || t == RegType.PTR_TO_MAP_VALUE || t == RegType.PTR_TO_MAP_KEY) {
            if (r.map != null) {
                if (!r.map.spec().name().isEmpty()) {
                    sep.add("map=" + r.map.spec().kernelName());
                }
                sep.add("ks=" + r.map.keySize() + ",vs=" + r.map.valueSize());
            }
        }
        if (t != RegType.SCALAR && r.off != 0) {
            sep.add("off=" + snum(r.off));
        }
        if (t.isPacket()) {
            sep.add("r=" + unum(r.range));
        }
        if (t == RegType.PTR_TO_MEM) {
            sep.add("sz=" + unum(r.memSize));
        }
        if (r.var.isConst()) {
            if (r.var.value() != 0) {
                sep.add("imm=" + snum(r.var.value()));
            }
        } else {
            ranges(r, sep);
            if (!r.var.isUnknown()) {
                sep.add("var_off=" + r.var);
            }
        }
        return sb.append(')').toString();
    }

    static String typeName(Reg r) {
        String base = r.type.logName;
        String prefix = r.rdonly ? "rdonly_" : r.ringbuf ? "ringbuf_" : "";
        return prefix + base + (r.maybeNull ? "_or_null" : "");
    }

    private static final class Sep {
        final StringBuilder sb;
        boolean first = true;

        Sep(StringBuilder sb) {
            this.sb = sb;
        }

        void add(String s) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            sb.append(s);
        }
    }

    /** print_scalar_ranges: equal bounds are printed once, joined ({@code smax=umax=255}). */
    private static void ranges(Reg r, Sep sep) {
        String[] names = {"smin", "smax", "umin", "umax", "smin32", "smax32", "umin32", "umax32"};
        long[] vals = {r.smin, r.smax, r.umin, r.umax, r.s32min, r.s32max, Integer.toUnsignedLong(r.u32min), Integer.toUnsignedLong(r.u32max)};
        boolean[] omit = {r.smin == Long.MIN_VALUE, r.smax == Long.MAX_VALUE, r.umin == 0, r.umax == -1L,
                r.s32min == Integer.MIN_VALUE, r.s32max == Integer.MAX_VALUE, r.u32min == 0, r.u32max == -1};
        for (int i = 0; i < 8; i++) {
            if (omit[i]) {
                continue;
            }
            boolean neg1 = names[i].charAt(0) == 's' && vals[i] < 0;
            StringBuilder part = new StringBuilder(names[i]).append('=');
            for (int j = i + 2; j < 8; j += 2) {
                if (omit[j] || vals[j] != vals[i]) {
                    continue;
                }
                boolean neg2 = names[j].charAt(0) == 's' && vals[j] < 0;
                if (neg2 != neg1) {
                    continue;
                }
                omit[j] = true;
                part.append(names[j]).append('=');
            }
            part.append(names[i].charAt(0) == 's' ? snum(vals[i]) : unum(vals[i]));
            sep.add(part.toString());
        }
    }

    static String snum(long v) {
        return v >= -512 && v <= 512 ? Long.toString(v) : "0x" + Long.toHexString(v);
    }

    static String unum(long v) {
        return Long.compareUnsigned(v, 512) <= 0 ? Long.toString(v) : "0x" + Long.toHexString(v);
    }
}
