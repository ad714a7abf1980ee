; a helper size that may be negative
; type: xdp
; kernel: reject
; error: R4 min value is negative, either use unsigned or 'var &= const'
r6 = r1
r4 = *(u32 *)(r1 + 16)
r4 <<= 32
r4 s>>= 32
r4 &= -1
r1 = r6
r2 = 0
r3 = r10
r3 += -16
call 189
r0 = 2
exit
