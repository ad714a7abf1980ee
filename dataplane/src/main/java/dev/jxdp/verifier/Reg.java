package dev.jxdp.verifier;

/**
 * The abstract value of one register or spilled stack slot: the kernel's {@code struct bpf_reg_state}.
 * A scalar is described by known bits ({@link #var}) and four ranges (signed and unsigned, 64 and 32
 * bits) that {@link Bounds#sync} keeps consistent with each other. A pointer is a base (its
 * {@link #type} and the object: map, frame, packet id) plus a fixed offset {@link #off} plus a variable
 * offset described exactly like a scalar.
 *
 * <p>Mutable and copied by value ({@link #copyFrom}) as the kernel copies its structs: states fork at
 * every branch, and a copy is the cheapest way to keep them apart.
 */
public final class Reg {
    public static final int S32_MIN = Integer.MIN_VALUE;
    public static final int S32_MAX = Integer.MAX_VALUE;

    RegType type = RegType.NOT_INIT;
    /** PTR_MAYBE_NULL: the pointer may be 0 until a null check says otherwise. */
    boolean maybeNull;
    /** MEM_RDONLY: memory the program may read only. */
    boolean rdonly;
    /** MEM_RINGBUF: a ring buffer reservation. */
    boolean ringbuf;
    /** Fixed offset of a pointer from its base. */
    int off;
    Tnum var = Tnum.UNKNOWN;
    long smin = Long.MIN_VALUE;
    long smax = Long.MAX_VALUE;
    long umin = 0;
    long umax = -1L;
    int s32min = S32_MIN;
    int s32max = S32_MAX;
    int u32min = 0;
    int u32max = -1;
    /**
     * Pointers: copies share an id so that what a check learns about one (null or not, packet range)
     * applies to all. Scalars: copies share an id so that bounds learned on one apply to all.
     */
    int id;
    /** Non-zero for a pointer that holds a reference the program must release (a ringbuf reservation). */
    int refObjId;
    /** CONST_PTR_TO_MAP, PTR_TO_MAP_VALUE, PTR_TO_MAP_KEY: which map. */
    MapRef map;
    /** Packet pointers: bytes from the packet's base (with this id) known to be inside the packet. */
    int range;
    /** PTR_TO_MEM: size of the memory. */
    int memSize;
    /** PTR_TO_STACK: which frame's stack. */
    int frameno;
    /** PTR_TO_FUNC: the subprogram index. */
    int subprog;
    /**
     * Scalars in checkpoints: some path from here relied on the exact range (see {@link Precision}).
     * Pruning compares only precise scalars; an imprecise one matches any scalar.
     */
    boolean precise;

    public Reg() {}

    public Reg copy() {
        Reg r = new Reg();
        r.copyFrom(this);
        return r;
    }

    public void copyFrom(Reg o) {
        type = o.type;
        maybeNull = o.maybeNull;
        rdonly = o.rdonly;
        ringbuf = o.ringbuf;
        off = o.off;
        var = o.var;
        smin = o.smin;
        smax = o.smax;
        umin = o.umin;
        umax = o.umax;
        s32min = o.s32min;
        s32max = o.s32max;
        u32min = o.u32min;
        u32max = o.u32max;
        id = o.id;
        refObjId = o.refObjId;
        map = o.map;
        range = o.range;
        memSize = o.memSize;
        frameno = o.frameno;
        subprog = o.subprog;
        precise = o.precise;
    }

    public RegType type() {
        return type;
    }

    public boolean maybeNull() {
        return maybeNull;
    }

    public int off() {
        return off;
    }

    public Tnum var() {
        return var;
    }

    public long smin() {
        return smin;
    }

    public long smax() {
        return smax;
    }

    public long umin() {
        return umin;
    }

    public long umax() {
        return umax;
    }

    public int id() {
        return id;
    }

    public MapRef map() {
        return map;
    }

    public int range() {
        return range;
    }

    public boolean isScalar() {
        return type == RegType.SCALAR;
    }

    public boolean isPointer() {
        return type.isPointer();
    }

    /** A scalar with a known value. */
    public boolean isConst() {
        return type == RegType.SCALAR && var.isConst();
    }

    /** Everything but the type cleared: no id, no offset, no object, no flags. */
    private void clearPointerFields() {
        maybeNull = false;
        rdonly = false;
        ringbuf = false;
        off = 0;
        id = 0;
        refObjId = 0;
        map = null;
        range = 0;
        memSize = 0;
        frameno = 0;
        subprog = 0;
        precise = false;
    }

    /** __mark_reg_unknown: a scalar about which nothing is known. */
    public void markUnknown() {
        clearPointerFields();
        type = RegType.SCALAR;
        var = Tnum.UNKNOWN;
        Bounds.markUnbounded(this);
    }

    /** __mark_reg_not_init. */
    public void markNotInit() {
        markUnknown();
        type = RegType.NOT_INIT;
    }

    /** __mark_reg_known: the variable part is exactly {@code v} (type and pointer fields unchanged, id cleared). */
    public void markKnown(long v) {
        var = Tnum.constant(v);
        smin = smax = v;
        umin = umax = v;
        s32min = s32max = (int) v;
        u32min = u32max = (int) v;
        id = 0;
        refObjId = 0;
    }

    /** A scalar constant. */
    public void markConst(long v) {
        clearPointerFields();
        type = RegType.SCALAR;
        markKnown(v);
    }

    /** A pointer of {@code type} at offset 0 with a zero variable part and nothing else set. */
    public void markPointer(RegType type) {
        clearPointerFields();
        this.type = type;
        markKnown(0);
    }

    /** Whether the 32-bit subregister is a known constant. */
    public boolean subregIsConst() {
        return var.subregIsConst();
    }

    @Override
    public String toString() {
        return RegFormat.format(this);
    }
}
