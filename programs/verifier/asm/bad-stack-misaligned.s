; stack accesses must be aligned
; type: xdp
; kernel: reject
; error: misaligned stack access off 0+0+-7 size 8
r0 = 0
*(u64 *)(r10 - 7) = r0
exit
