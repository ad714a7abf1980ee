package dev.jxdp.control;

/** A map operation's answer: the key and value found (hex), or {@code found} false. */
public record MapReply(boolean found, String key, String value) {}
