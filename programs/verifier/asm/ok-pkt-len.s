; data_end - data as a length (pointer difference, privileged)
; type: xdp
; kernel: accept
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 4)
r3 -= r2
r0 = 2
if r3 > 1500 goto out
r0 = 1
out:
exit
