package dev.jxdp.exec;

/** What a program may do with a {@link Region}. */
public enum Permission {
    READ_ONLY,
    READ_WRITE;

    public boolean writable() {
        return this == READ_WRITE;
    }
}
