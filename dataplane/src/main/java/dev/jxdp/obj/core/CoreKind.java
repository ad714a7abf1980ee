package dev.jxdp.obj.core;

/** enum bpf_core_relo_kind (include/uapi/linux/bpf.h): what a CO-RE relocation asks for. */
public enum CoreKind {
    /** Byte offset of a field. */
    FIELD_BYTE_OFFSET,
    /** Size of a field in bytes. */
    FIELD_BYTE_SIZE,
    /** 1 if the field exists in the target, else 0. */
    FIELD_EXISTS,
    /** 1 if the field is a signed integer (or signed enum). */
    FIELD_SIGNED,
    /** Left shift that moves a bitfield to the top of a u64 load. */
    FIELD_LSHIFT_U64,
    /** Right shift that then moves it down. */
    FIELD_RSHIFT_U64,
    /** The type's id in the program's own BTF. */
    TYPE_ID_LOCAL,
    /** The matching type's id in the target BTF. */
    TYPE_ID_TARGET,
    /** 1 if a compatible type exists in the target. */
    TYPE_EXISTS,
    /** Size of the matching target type. */
    TYPE_SIZE,
    /** 1 if the enumerator exists in the target. */
    ENUMVAL_EXISTS,
    /** Value of the enumerator in the target. */
    ENUMVAL_VALUE,
    /** 1 if a type matching in layout and names (bpf_core_type_matches) exists in the target. */
    TYPE_MATCHES;

    public static CoreKind of(int value) {
        CoreKind[] all = values();
        return value >= 0 && value < all.length ? all[value] : null;
    }

    public boolean fieldBased() {
        return ordinal() <= FIELD_RSHIFT_U64.ordinal();
    }

    public boolean typeBased() {
        return this == TYPE_ID_LOCAL || this == TYPE_ID_TARGET || this == TYPE_EXISTS || this == TYPE_SIZE || this == TYPE_MATCHES;
    }

    public boolean enumBased() {
        return this == ENUMVAL_EXISTS || this == ENUMVAL_VALUE;
    }

    /** libbpf's name for it in messages ({@code byte_off}, {@code enumval_value} ...). */
    public String shortName() {
        return switch (this) {
            case FIELD_BYTE_OFFSET -> "byte_off";
            case FIELD_BYTE_SIZE -> "byte_sz";
            case FIELD_EXISTS -> "field_exists";
            case FIELD_SIGNED -> "signed";
            case FIELD_LSHIFT_U64 -> "lshift_u64";
            case FIELD_RSHIFT_U64 -> "rshift_u64";
            case TYPE_ID_LOCAL -> "local_type_id";
            case TYPE_ID_TARGET -> "target_type_id";
            case TYPE_EXISTS -> "type_exists";
            case TYPE_SIZE -> "type_size";
            case ENUMVAL_EXISTS -> "enumval_exists";
            case ENUMVAL_VALUE -> "enumval_value";
            case TYPE_MATCHES -> "type_matches";
        };
    }
}
