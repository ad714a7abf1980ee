/**
 * The eBPF instruction set of RFC 9669 (through cpu v4): an immutable instruction model, the decoder
 * from raw 8-byte slots, the encoder back to them, and the LLVM/kernel text syntax (disassembler and
 * assembler). Nothing here knows about ELF files, maps or execution.
 */
package dev.jxdp.isa;
