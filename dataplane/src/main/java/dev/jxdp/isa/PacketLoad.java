package dev.jxdp.isa;

/**
 * The legacy packet loads LD|ABS and LD|IND (RFC 9669 5.5): r0 = the big-endian value of {@code size}
 * at packet offset {@code imm} (ABS) or {@code src + imm} (IND) of the skb in r6. They clobber r1-r5
 * like a call and end the program with 0 when the offset is out of the packet.
 */
public record PacketLoad(Size size, boolean indirect, int src, int imm) implements Instruction {
    public PacketLoad {
        Registers.check(src);
        if (size == Size.DW) {
            throw new IllegalArgumentException("no 64-bit legacy packet load");
        }
        if (!indirect && src != 0) {
            throw new IllegalArgumentException("absolute packet load takes no register");
        }
    }

    @Override
    public int opcode() {
        return OpClass.LD | (indirect ? OpClass.MODE_IND : OpClass.MODE_ABS) | size.code;
    }

    @Override
    public long raw() {
        return Instruction.pack(opcode(), 0, src, 0, imm);
    }
}
