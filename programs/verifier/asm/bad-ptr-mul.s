; multiplying a pointer
; type: xdp
; kernel: reject
; error: R2 pointer arithmetic with *= operator prohibited
r2 = *(u32 *)(r1 + 0)
r2 *= 2
r0 = 2
exit
