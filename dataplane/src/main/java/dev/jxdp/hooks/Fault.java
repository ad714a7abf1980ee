package dev.jxdp.hooks;

/**
 * A program's exception at a hook: a fault in the checked engines (an access the verifier would have
 * refused, a helper given bad arguments) or XDP_ABORTED. The packet is dropped, the pipeline goes on.
 *
 * @param program the program's name
 * @param hook where it ran
 * @param pc the instruction at fault, or -1 for XDP_ABORTED (a verdict, not an instruction)
 * @param message what went wrong
 */
public record Fault(String program, Hook hook, int pc, String message) {}
