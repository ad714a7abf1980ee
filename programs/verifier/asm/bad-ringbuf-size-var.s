; reservations have a constant size
; type: xdp
; map rb: ringbuf key=0 value=0 entries=4096
; kernel: reject
; error: R2 is not a known constant'
r6 = r1
r1 = map[rb] ll
r2 = *(u32 *)(r6 + 16)
r3 = 0
call 131
r0 = 0
exit
