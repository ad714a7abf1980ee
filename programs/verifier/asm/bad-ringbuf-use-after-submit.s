; memory of a submitted reservation is gone
; type: xdp
; map rb: ringbuf key=0 value=0 entries=4096
; kernel: reject
; error: R6 invalid mem access 'scalar'
r1 = map[rb] ll
r2 = 16
r3 = 0
call 131
if r0 == 0 goto out
r6 = r0
r1 = r0
r2 = 0
call 132
r0 = *(u64 *)(r6 + 0)
out:
r0 = 0
exit
