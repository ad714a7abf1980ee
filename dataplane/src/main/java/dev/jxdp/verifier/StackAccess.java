package dev.jxdp.verifier;

/**
 * Loads and stores through stack pointers (the kernel's check_stack_access_within_bounds,
 * check_stack_write_fixed_off/_var_off, check_stack_read_fixed_off/_var_off and
 * check_stack_range_initialized): bounds, spills and fills that keep a register's state, and which
 * bytes hold what.
 */
final class StackAccess {
    static final int MAX_BPF_STACK = 512;

    private StackAccess() {}

    /** "read from", "write to": how the kernel's messages name the access. */
    enum Kind {
        READ(" read from"), WRITE(" write to");

        final String text;

        Kind(String text) {
            this.text = text;
        }
    }

    static String tnumString(Tnum t) {
        return t.isConst() ? Long.toString(t.value()) : t.toString();
    }

    /**
     * check_stack_access_within_bounds: [off, off + size) must lie in the 512 bytes below the frame
     * pointer; grows the frame's tracked stack to cover it. {@code off} includes the register's fixed
     * offset.
     */
    static void checkBounds(Checker c, int regno, Reg reg, int off, int size, Kind kind) {
        long minOff;
        long maxOff;
        if (reg.var.isConst()) {
            minOff = reg.var.value() + off;
            maxOff = minOff + size;
        } else {
            if (reg.smax >= PointerAlu.MAX_VAR_OFF || reg.smin <= -PointerAlu.MAX_VAR_OFF) {
                throw Reject.eacces("invalid unbounded variable-offset%s stack R%d", kind.text, regno);
            }
            minOff = reg.smin + off;
            maxOff = reg.smax + off + size;
        }
        Frame f = c.cur.frames[reg.frameno];
        long minValid = kind == Kind.WRITE || c.privileged() ? -MAX_BPF_STACK : -f.stack.allocated;
        boolean bad = minOff < minValid || minOff > -1 || maxOff > 0 || size < 0;
        if (bad) {
            if (reg.var.isConst()) {
                throw Reject.eacces("invalid%s stack R%d off=%d size=%d", kind.text, regno, off, size);
            }
            throw Reject.eacces("invalid variable-offset%s stack R%d var_off=%s off=%d size=%d", kind.text, regno, tnumString(reg.var), off, size);
        }
        int bytes = (int) -minOff;
        f.stack.grow(bytes);
        c.updateStackDepth(f, bytes);
    }

    /**
     * A store of {@code size} bytes at {@code off} (fixed, includes reg.off) of register
     * {@code valueRegno}, or of {@code imm} (ST), or of something untracked (both absent: an atomic).
     */
    static void write(Checker c, int ptrRegno, Reg ptr, int off, int size, int valueRegno, Long imm) {
        Frame target = c.cur.frames[ptr.frameno];
        Reg value = valueRegno >= 0 ? c.cur.reg(valueRegno) : null;
        if (ptr.var.isConst()) {
            writeFixed(c, target, (int) (off + ptr.var.value()), size, value, valueRegno, imm);
        } else {
            writeVar(c, target, ptr, off, size, value, imm);
            if (value != null && value.type == RegType.SCALAR && value.var.equalsConst(0)) {
                Precision.markReg(c, valueRegno);
            }
        }
    }

    private static int width(Reg r) {
        return 64 - Long.numberOfLeadingZeros(r.umax);
    }

    private static void writeFixed(Checker c, Frame f, int off, int size, Reg value, int valueRegno, Long imm) {
        int slot = -off - 1;
        int spi = slot / 8;
        StackState st = f.stack;
        if (!c.privileged() && st.isSpilled(spi) && st.spilled[spi] != null && st.spilled[spi].type != RegType.SCALAR && size != 8) {
            throw Reject.eacces("attempt to corrupt spilled pointer on stack");
        }
        c.scratchStack(spi);
        if (value != null && off % 8 == 0 && value.type == RegType.SCALAR && c.privileged()) {
            boolean fits = width(value) <= 8 * size;
            if (fits && value.id == 0 && !value.var.isConst()) {
                value.id = c.newId();
            }
            save(st, spi, value, size, c.privileged());
            c.recordFlags(Precision.stackFlags(f.frameno, spi), 0);
            if (!fits) {
                st.spilled[spi].id = 0;
            }
        } else if (value == null && imm != null && off % 8 == 0 && c.privileged()) {
            Reg k = new Reg();
            k.markConst(imm);
            save(st, spi, k, size, c.privileged());
            c.recordFlags(Precision.stackFlags(f.frameno, spi), 0);
        } else if (value != null && value.type.isPointer()) {
            if (size != 8) {
                throw Reject.eacces("invalid size of register spill");
            }
            if (f != c.cur.frame() && value.type == RegType.PTR_TO_STACK) {
                throw Reject.einval("cannot spill pointers to stack into stack frame of the caller");
            }
            save(st, spi, value, size, c.privileged());
            c.recordFlags(Precision.stackFlags(f.frameno, spi), 0);
        } else {
            byte type = StackState.MISC;
            if (st.isSpilled(spi)) {
                // a plain write destroys the spilled register; its other bytes become unknown data
                st.spilled[spi] = null;
                for (int i = 0; i < 8; i++) {
                    if (st.type(spi, i) != StackState.INVALID) {
                        st.setType(spi, i, StackState.MISC);
                    }
                }
            }
            boolean zero = value != null ? value.type == RegType.SCALAR && value.var.equalsConst(0) : imm != null && imm == 0;
            if (zero) {
                type = StackState.ZERO;
                if (value != null) {
                    Precision.markReg(c, valueRegno);
                }
            }
            for (int i = 0; i < size; i++) {
                st.setType(spi, (slot - i) % 8, type);
            }
        }
    }

    /** save_register_state: the slot's top {@code size} bytes hold the register, the rest become data. */
    private static void save(StackState st, int spi, Reg value, int size, boolean privileged) {
        st.spilled[spi] = value.copy();
        int i;
        for (i = 8; i > 8 - size; i--) {
            st.setType(spi, i - 1, StackState.SPILL);
        }
        for (; i > 0; i--) {
            byte t = st.type(spi, i - 1);
            if (t == StackState.ZERO || t == StackState.INVALID && privileged) {
                continue;
            }
            st.setType(spi, i - 1, StackState.MISC);
        }
    }

    private static void writeVar(Checker c, Frame f, Reg ptr, int off, int size, Reg value, Long imm) {
        long minOff = ptr.smin + off;
        long maxOff = ptr.smax + off + size;
        boolean writingZero = value != null ? value.type == RegType.SCALAR && value.var.equalsConst(0) : imm != null && imm == 0;
        StackState st = f.stack;
        for (long i = minOff; i < maxOff; i++) {
            int slot = (int) (-i - 1);
            int spi = slot / 8;
            int idx = slot % 8;
            byte t = st.type(spi, idx);
            c.scratchStack(spi);
            if (!c.privileged() && t != StackState.MISC && t != StackState.ZERO) {
                throw Reject.einval("spilled ptr in range of var-offset stack write; insn %d, ptr off: %d", c.insnIdx, i);
            }
            if (writingZero && t == StackState.SPILL && st.spilled[spi] != null && st.spilled[spi].type == RegType.SCALAR
                    && st.spilled[spi].var.equalsConst(0)) {
                continue;
            }
            if (st.isSpilled(spi)) {
                st.spilled[spi] = null;
                for (int j = 0; j < 8; j++) {
                    if (st.type(spi, j) == StackState.SPILL) {
                        st.setType(spi, j, StackState.MISC);
                    }
                }
                t = st.type(spi, idx);
            }
            byte nt = writingZero && t == StackState.ZERO ? StackState.ZERO : StackState.MISC;
            if (t == StackState.INVALID && !c.privileged()) {
                throw Reject.einval("uninit stack in range of var-offset write prohibited for !root; insn %d, off: %d", c.insnIdx, i);
            }
            st.setType(spi, idx, nt);
        }
    }

    /**
     * A load of {@code size} bytes into {@code dst} ({@code off} includes reg.off); {@code dst} null:
     * only check that the bytes may be read (the read half of an atomic).
     */
    static void read(Checker c, int ptrRegno, Reg ptr, int off, int size, Reg dst) {
        Frame f = c.cur.frames[ptr.frameno];
        if (ptr.var.isConst()) {
            readFixed(c, f, (int) (off + ptr.var.value()), size, dst);
        } else {
            if (dst == null) {
                throw Reject.eacces("variable offset stack pointer cannot be passed into helper function; var_off=%s off=%d size=%d",
                        tnumString(ptr.var), off, size);
            }
            if (!c.privileged()) {
                throw Reject.eacces("R%d variable offset stack access prohibited for !root, var_off=%s", ptrRegno, tnumString(ptr.var));
            }
            rangeInitialized(c, ptrRegno, ptr, off, size, false, false);
            long min = ptr.smin + off;
            long max = ptr.smax + off + size;
            readInto(c, f, min, max, dst);
        }
    }

    private static void readFixed(Checker c, Frame f, int off, int size, Reg dst) {
        int slot = -off - 1;
        int spi = slot / 8;
        StackState st = f.stack;
        Reg tmp = dst == null ? new Reg() : dst;
        c.scratchStack(spi);
        if (st.isSpilled(spi) && st.spilled[spi] != null) {
            Reg spilled = st.spilled[spi];
            int spillSize = 1;
            for (int i = 7; i > 0 && st.type(spi, i - 1) == StackState.SPILL; i--) {
                spillSize++;
            }
            if (size != 8 || spillSize != 8) {
                if (spilled.type != RegType.SCALAR) {
                    throw Reject.eacces("invalid size of register fill");
                }
                if (dst == null) {
                    return;
                }
                if (size <= spillSize && off % 8 == 0) {
                    if (c.privileged() && size == 4 && spillSize == 4 && width(spilled) <= 32 && spilled.id == 0 && !spilled.var.isConst()) {
                        spilled.id = c.newId();
                    }
                    dst.copyFrom(spilled);
                    dst.precise = false;
                    c.recordFlags(Precision.stackFlags(f.frameno, spi), 0);
                    if (width(spilled) > size * 8) {
                        dst.id = 0;
                    }
                } else {
                    int spillCnt = 0;
                    int zeroCnt = 0;
                    for (int i = 0; i < size; i++) {
                        byte t = st.type(spi, (slot - i) % 8);
                        if (t == StackState.SPILL) {
                            spillCnt++;
                        } else if (t == StackState.ZERO) {
                            zeroCnt++;
                        } else if (t == StackState.INVALID && !c.privileged()) {
                            throw Reject.eacces("invalid read from stack off %d+%d size %d", off, i, size);
                        }
                    }
                    if (spillCnt == size && spilled.var.equalsConst(0)) {
                        tmp.markConst(0);
                        c.recordFlags(Precision.stackFlags(f.frameno, spi), 0);
                    } else if (zeroCnt == size) {
                        tmp.markConst(0);
                    } else {
                        tmp.markUnknown();
                    }
                }
            } else if (dst != null) {
                if (c.privileged() && spilled.type == RegType.SCALAR && spilled.id == 0 && !spilled.var.isConst()) {
                    spilled.id = c.newId();
                }
                dst.copyFrom(spilled);
                dst.precise = false;
                c.recordFlags(Precision.stackFlags(f.frameno, spi), 0);
            } else if (spilled.type.isPointer() && !c.privileged()) {
                throw Reject.eacces("leaking pointer from stack off %d", off);
            }
        } else {
            for (int i = 0; i < size; i++) {
                byte t = st.type(spi, (slot - i) % 8);
                if (t == StackState.MISC || t == StackState.ZERO || t == StackState.INVALID && c.privileged()) {
                    continue;
                }
                throw Reject.eacces("invalid read from stack off %d+%d size %d", off, i, size);
            }
            readInto(c, f, off, off + size, tmp);
        }
    }

    /** mark_reg_stack_read: all-zero bytes give 0, anything else an unknown scalar. */
    private static void readInto(Checker c, Frame f, long minOff, long maxOff, Reg d) {
        int zeros = 0;
        for (long i = minOff; i < maxOff; i++) {
            int slot = (int) (-i - 1);
            c.scratchStack(slot / 8);
            if (f.stack.type(slot) != StackState.ZERO) {
                break;
            }
            zeros++;
        }
        if (zeros == maxOff - minOff) {
            d.markConst(0);
        } else {
            d.markUnknown();
        }
    }

    /**
     * check_stack_range_initialized: a helper reads (or, with {@code clobber}, writes) [off, off +
     * size) of the stack; each byte must be initialised (or, privileged, may be uninitialised).
     */
    static void rangeInitialized(Checker c, int regno, Reg reg, int off, int size, boolean zeroSizeAllowed, boolean clobber) {
        if (size == 0 && !zeroSizeAllowed) {
            throw Reject.eacces("invalid zero-sized read");
        }
        checkBounds(c, regno, reg, off, size, clobber ? Kind.WRITE : Kind.READ);
        long minOff;
        long maxOff;
        if (reg.var.isConst()) {
            minOff = maxOff = reg.var.value() + off;
        } else {
            if (!c.privileged()) {
                throw Reject.eacces("R%d variable offset stack access prohibited for !root, var_off=%s", regno, tnumString(reg.var));
            }
            minOff = reg.smin + off;
            maxOff = reg.smax + off;
        }
        StackState st = c.cur.frames[reg.frameno].stack;
        for (long i = minOff; i < maxOff + size; i++) {
            int slot = (int) (-i - 1);
            int spi = slot / 8;
            byte t = st.type(slot);
            if (t == StackState.MISC) {
                continue;
            }
            if (t == StackState.ZERO || t == StackState.INVALID && c.privileged()) {
                if (clobber) {
                    st.types[slot] = StackState.MISC;
                }
                continue;
            }
            if (st.isSpilled(spi) && st.spilled[spi] != null && (st.spilled[spi].type == RegType.SCALAR || c.privileged())) {
                if (clobber) {
                    st.spilled[spi] = null;
                    for (int j = 0; j < 8; j++) {
                        if (st.type(spi, j) != StackState.INVALID) {
                            st.setType(spi, j, StackState.MISC);
                        }
                    }
                }
                continue;
            }
            if (reg.var.isConst()) {
                throw Reject.eacces("invalid read from stack R%d off %d+%d size %d", regno, minOff, i - minOff, size);
            }
            throw Reject.eacces("invalid read from stack R%d var_off %s+%d size %d", regno, tnumString(reg.var), i - minOff, size);
        }
    }
}
