; 32-bit arithmetic on a pointer
; type: xdp
; kernel: reject
; error: R2 32-bit pointer arithmetic prohibited
r2 = *(u32 *)(r1 + 0)
w2 += 4
r0 = 2
exit
