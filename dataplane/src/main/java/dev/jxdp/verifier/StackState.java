package dev.jxdp.verifier;

import java.util.Arrays;

/**
 * One frame's 512-byte stack as the verifier sees it: a type per byte and, per 8-byte slot, the
 * register spilled there. Byte {@code slot = -off - 1} is the byte at {@code fp + off}, so slot 0 is
 * the byte just below the frame pointer; 8-byte slot {@code spi = slot / 8}. A spill of a whole register
 * marks the slot's eight bytes {@link #SPILL} and keeps the register's state; smaller writes of scalars
 * mark bytes {@link #MISC} (or {@link #ZERO} for a known zero).
 */
final class StackState {
    static final int MAX = 512;
    static final int SLOTS = MAX / 8;

    /** Never written: reading it is an error for unprivileged programs, an unknown value for others. */
    static final byte INVALID = 0;
    /** Part of a spilled register. */
    static final byte SPILL = 1;
    /** Written with something the verifier does not track. */
    static final byte MISC = 2;
    /** Known to be zero. */
    static final byte ZERO = 3;

    final byte[] types;
    final Reg[] spilled;
    /** Bytes of stack in use, a multiple of 8 (the kernel's allocated_stack). */
    int allocated;

    StackState() {
        types = new byte[MAX];
        spilled = new Reg[SLOTS];
    }

    StackState(StackState o) {
        types = o.types.clone();
        spilled = new Reg[SLOTS];
        for (int i = 0; i < SLOTS; i++) {
            if (o.spilled[i] != null) {
                spilled[i] = o.spilled[i].copy();
            }
        }
        allocated = o.allocated;
    }

    byte type(int slot) {
        return types[slot];
    }

    /** The type of byte {@code i} (0..7) of 8-byte slot {@code spi}, as the kernel's slot_type[i]. */
    byte type(int spi, int i) {
        return types[spi * 8 + i];
    }

    void setType(int spi, int i, byte t) {
        types[spi * 8 + i] = t;
    }

    /** Whether the 8-byte slot holds a spilled register (its last byte says so, as in the kernel). */
    boolean isSpilled(int spi) {
        return types[spi * 8 + 7] == SPILL;
    }

    /** Whether all eight bytes of the slot are part of one spill of a whole register. */
    boolean isFullSpill(int spi) {
        for (int i = 0; i < 8; i++) {
            if (types[spi * 8 + i] != SPILL) {
                return false;
            }
        }
        return true;
    }

    Reg spilledReg(int spi) {
        return spilled[spi];
    }

    void grow(int bytes) {
        int size = (bytes + 7) / 8 * 8;
        if (size > allocated) {
            allocated = size;
        }
    }

    void clearSlot(int spi) {
        Arrays.fill(types, spi * 8, spi * 8 + 8, INVALID);
        spilled[spi] = null;
    }

    static char typeChar(byte t) {
        return switch (t) {
            case SPILL -> 'r';
            case MISC -> 'm';
            case ZERO -> '0';
            default -> '?';
        };
    }
}
