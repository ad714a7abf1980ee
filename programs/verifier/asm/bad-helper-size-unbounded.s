; a helper size with no upper bound
; type: xdp
; kernel: reject
; error: R4 unbounded memory access, use 'var &= const' or 'if (var < const)'
r6 = r1
r4 = *(u32 *)(r1 + 16)
r4 |= 1
r1 = r6
r2 = 0
r3 = r10
r3 += -16
call 189
r0 = 2
exit
