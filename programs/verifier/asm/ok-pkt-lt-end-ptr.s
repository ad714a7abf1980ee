; packet check "if r3 < r4 goto out": the fall-through may read 14 bytes
; type: xdp
; kernel: accept
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r4 = r2
r4 += 14
if r3 < r4 goto out
r0 = *(u8 *)(r2 + 13)
out:
r0 = 2
exit
