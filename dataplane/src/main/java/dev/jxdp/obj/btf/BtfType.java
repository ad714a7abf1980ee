package dev.jxdp.obj.btf;

import java.util.List;

/**
 * One BTF type (include/uapi/linux/btf.h). Type id 0 is void and has no record; ids refer to the
 * position in {@link Btf#types()}. Names are resolved from the string section ("" when anonymous).
 */
public sealed interface BtfType {
    int KIND_INT = 1;
    int KIND_PTR = 2;
    int KIND_ARRAY = 3;
    int KIND_STRUCT = 4;
    int KIND_UNION = 5;
    int KIND_ENUM = 6;
    int KIND_FWD = 7;
    int KIND_TYPEDEF = 8;
    int KIND_VOLATILE = 9;
    int KIND_CONST = 10;
    int KIND_RESTRICT = 11;
    int KIND_FUNC = 12;
    int KIND_FUNC_PROTO = 13;
    int KIND_VAR = 14;
    int KIND_DATASEC = 15;
    int KIND_FLOAT = 16;
    int KIND_DECL_TAG = 17;
    int KIND_TYPE_TAG = 18;
    int KIND_ENUM64 = 19;

    String name();

    int kind();

    /** BTF_KIND_INT: {@code encoding} holds BTF_INT_SIGNED/CHAR/BOOL. */
    record Int(String name, int size, int encoding, int bitOffset, int bits) implements BtfType {
        public static final int SIGNED = 1;
        public static final int CHAR = 2;
        public static final int BOOL = 4;

        public int kind() {
            return KIND_INT;
        }

        public boolean signed() {
            return (encoding & SIGNED) != 0;
        }
    }

    record Ptr(int type) implements BtfType {
        public String name() {
            return "";
        }

        public int kind() {
            return KIND_PTR;
        }
    }

    record Array(int elementType, int indexType, int length) implements BtfType {
        public String name() {
            return "";
        }

        public int kind() {
            return KIND_ARRAY;
        }
    }

    /** A member of a struct or union; {@code bitfieldSize} is 0 for non-bitfields. */
    record Member(String name, int type, int bitOffset, int bitfieldSize) {}

    /** BTF_KIND_STRUCT and BTF_KIND_UNION. */
    record Struct(String name, int size, boolean union, List<Member> members) implements BtfType {
        public int kind() {
            return union ? KIND_UNION : KIND_STRUCT;
        }

        public Member member(String memberName) {
            for (Member m : members) {
                if (m.name().equals(memberName)) {
                    return m;
                }
            }
            return null;
        }
    }

    record EnumValue(String name, long value) {}

    /** BTF_KIND_ENUM (32-bit values) and BTF_KIND_ENUM64. */
    record Enum(String name, int size, boolean signed, boolean wide, List<EnumValue> values) implements BtfType {
        public int kind() {
            return wide ? KIND_ENUM64 : KIND_ENUM;
        }
    }

    record Fwd(String name, boolean union) implements BtfType {
        public int kind() {
            return KIND_FWD;
        }
    }

    /** TYPEDEF, VOLATILE, CONST, RESTRICT and TYPE_TAG: a name or qualifier over another type. */
    record Alias(int kind, String name, int type) implements BtfType {}

    record Func(String name, int type, int linkage) implements BtfType {
        public static final int STATIC = 0;
        public static final int GLOBAL = 1;
        public static final int EXTERN = 2;

        public int kind() {
            return KIND_FUNC;
        }
    }

    record Param(String name, int type) {}

    record FuncProto(int returnType, List<Param> params) implements BtfType {
        public String name() {
            return "";
        }

        public int kind() {
            return KIND_FUNC_PROTO;
        }
    }

    record Var(String name, int type, int linkage) implements BtfType {
        public int kind() {
            return KIND_VAR;
        }
    }

    record SecInfo(int type, int offset, int size) {}

    record Datasec(String name, int size, List<SecInfo> vars) implements BtfType {
        public int kind() {
            return KIND_DATASEC;
        }
    }

    record Float(String name, int size) implements BtfType {
        public int kind() {
            return KIND_FLOAT;
        }
    }

    /** A tag on a type, or (componentIndex >= 0) on one of its members or parameters. */
    record DeclTag(String name, int type, int componentIndex) implements BtfType {
        public int kind() {
            return KIND_DECL_TAG;
        }
    }
}
