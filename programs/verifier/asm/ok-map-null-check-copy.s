; the null check of a copy applies to the original
; type: xdp
; map m: hash key=4 value=8 entries=4
; kernel: accept
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map[m] ll
call 1
r6 = r0
if r6 == 0 goto out
r0 = *(u64 *)(r0 + 0)
exit
out:
r0 = 0
exit
