; an 8-byte read at offset 4 of an 8-byte value
; type: xdp
; map m: hash key=4 value=8 entries=4
; kernel: reject
; error: invalid access to map value, value_size=8 off=4 size=8
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map[m] ll
call 1
if r0 == 0 goto out
r0 = *(u64 *)(r0 + 4)
exit
out:
r0 = 0
exit
