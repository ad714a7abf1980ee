; arithmetic on data_end
; type: xdp
; kernel: reject
; error: R3 pointer arithmetic on pkt_end prohibited
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r3 += 4
r0 = 2
exit
