; bitwise operations on pointers
; type: xdp
; kernel: reject
; error: R2 bitwise operator &= on pointer prohibited
r2 = *(u32 *)(r1 + 0)
r2 &= 0xff
r0 = 2
exit
