; XDP programs may write packet bytes they proved
; type: xdp
; kernel: accept
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r4 = r2
r4 += 14
if r4 > r3 goto out
r5 = 0x0008
*(u16 *)(r2 + 12) = r5
out:
r0 = 2
exit
