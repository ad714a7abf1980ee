; packet access without a data_end check
; type: xdp
; kernel: reject
; error: invalid access to packet, off=12 size=2, R6(id=0,off=12,r=0)
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r6 = r2
r6 += 12
r0 = *(u16 *)(r6 + 0)
r0 = 2
exit
