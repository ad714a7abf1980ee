; a helper size that may be zero
; type: xdp
; kernel: reject
; error: R4 invalid zero-sized read: u64=[0,15]
r6 = r1
r4 = *(u32 *)(r1 + 16)
r4 &= 15
r1 = r6
r2 = 0
r3 = r10
r3 += -16
call 189
r0 = 2
exit
