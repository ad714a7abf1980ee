package dev.jxdp.control;

/** A program of a running switch ({@code GET /programs}): its id within its object, and where it is attached. */
public record ProgramInfo(int localId, String name, String type, String object, java.util.List<String> attached) {}
