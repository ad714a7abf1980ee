; a map lookup may return NULL
; type: xdp
; map m: hash key=4 value=8 entries=4
; kernel: reject
; error: R0 invalid mem access 'map_value_or_null'
*(u32 *)(r10 - 4) = 0
r2 = r10
r2 += -4
r1 = map[m] ll
call 1
r0 = *(u64 *)(r0 + 0)
exit
