package dev.jxdp.control;

/**
 * The body of {@code POST /maps/ID/OP}: key and value as hex (no separators; null where the operation
 * takes none, and for next_key's first key), and BPF_ANY/BPF_NOEXIST/BPF_EXIST for updates.
 */
public record MapRequest(String key, String value, long flags) {}
