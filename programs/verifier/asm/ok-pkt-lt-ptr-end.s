; packet check "if r4 < r3 goto ok": the jump target may read 15 bytes
; type: xdp
; kernel: accept
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r4 = r2
r4 += 14
if r4 < r3 goto ok
r0 = 2
exit
ok:
r0 = *(u8 *)(r2 + 14)
r0 = 2
exit
