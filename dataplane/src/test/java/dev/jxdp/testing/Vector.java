package dev.jxdp.testing;

/**
 * One test case of an {@code isa-vectors/*.vec} file (the format is described in {@link VectorFile}).
 *
 * @param file the file's name, e.g. {@code alu64.vec}
 * @param asm program text in the {@link dev.jxdp.isa.Assembler} syntax
 * @param mem initial contents of the input memory (r1 = its address, r2 = its length); never null
 * @param result expected r0, or null for an error case
 * @param memOut expected memory after the run, or null when not checked
 * @param error a substring of the expected error message, or null
 * @param kernel null (the kernel runs the case as an XDP bpf-to-bpf wrapper), {@code sched_cls}, or
 *     {@code skip <reason>}
 */
public record Vector(String file, String name, String asm, byte[] mem, Long result, byte[] memOut, String error,
        String kernel) {

    /** Whether a kernel run must leave this case out. */
    public boolean kernelSkip() {
        return kernel != null && kernel.startsWith("skip");
    }

    @Override
    public String toString() {
        return file + ": " + name;
    }
}
