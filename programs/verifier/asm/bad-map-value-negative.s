; an index into a value that may be negative
; type: xdp
; map m: hash key=4 value=8 entries=4
; kernel: reject
; error: R0 min value is negative, either use unsigned index or do a if (index >=0) check.
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map[m] ll
call 1
if r0 == 0 goto out
r1 = *(u32 *)(r0 + 0)
r1 &= 7
r1 -= 4
r0 += r1
r0 = *(u8 *)(r0 + 0)
exit
out:
r0 = 0
exit
