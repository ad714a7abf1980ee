package dev.jxdp.isa;

/** Width of a memory access; {@code code} is the BPF_SIZE field of the opcode (RFC 9669 5.4). */
public enum Size {
    W(0x00, 4, "u32"),
    H(0x08, 2, "u16"),
    B(0x10, 1, "u8"),
    DW(0x18, 8, "u64");

    public final int code;
    public final int bytes;
    /** Type name in the LLVM syntax: {@code *(u32 *)(r1 + 0x4)}. */
    public final String unsignedName;

    Size(int code, int bytes, String unsignedName) {
        this.code = code;
        this.bytes = bytes;
        this.unsignedName = unsignedName;
    }

    /** Name of the sign-extending variant, {@code s8/s16/s32}. */
    public String signedName() {
        return "s" + bytes * 8;
    }

    public static Size fromCode(int code) {
        return switch (code & 0x18) {
            case 0x00 -> W;
            case 0x08 -> H;
            case 0x10 -> B;
            default -> DW;
        };
    }

    public static Size ofBytes(int bytes) {
        return switch (bytes) {
            case 1 -> B;
            case 2 -> H;
            case 4 -> W;
            case 8 -> DW;
            default -> throw new IllegalArgumentException("no access size of " + bytes + " bytes");
        };
    }
}
