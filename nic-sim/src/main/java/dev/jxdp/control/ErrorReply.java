package dev.jxdp.control;

/** A failed request: the message, and for map operations the errno and bpf() command as the kernel would fail them. */
public record ErrorReply(String error, int errno, String command) {}
