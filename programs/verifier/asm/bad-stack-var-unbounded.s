; a stack pointer with an unbounded variable offset
; type: xdp
; kernel: reject
; error: invalid unbounded variable-offset write to stack R3
r2 = *(u32 *)(r1 + 16)
r3 = r10
r3 += r2
r0 = 0
*(u8 *)(r3 - 1) = r0
exit
