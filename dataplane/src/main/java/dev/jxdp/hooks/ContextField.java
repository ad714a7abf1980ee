package dev.jxdp.hooks;

/**
 * A field of a context structure as the uapi header lays it out ({@code struct xdp_md},
 * {@code struct __sk_buff}): what the kernel's convert_ctx_access turns an access into a read or write
 * of the real object.
 */
public interface ContextField {
    /** The field's name in the uapi struct. */
    String cName();

    /** Its offset in the uapi struct. */
    int offset();

    /** Its size in the uapi struct (4 or 8; 20 for __sk_buff.cb). */
    int size();
}
