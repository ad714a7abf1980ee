package dev.jxdp.isa;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Instructions to raw little-endian slots, the inverse of {@link Decoder}. */
public final class Encoder {
    private Encoder() {}

    public static byte[] encode(Bytecode code) {
        ByteBuffer out = ByteBuffer.allocate(code.length() * 8).order(ByteOrder.LITTLE_ENDIAN);
        code.forEach((insn, pc) -> {
            out.putLong(pc * 8, insn.raw());
            if (insn instanceof LoadImm64 wide) {
                out.putLong(pc * 8 + 8, wide.rawSecond());
            }
        });
        return out.array();
    }
}
