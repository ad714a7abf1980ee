; reserve, null-check, write, submit
; type: xdp
; map rb: ringbuf key=0 value=0 entries=4096
; kernel: accept
r1 = map[rb] ll
r2 = 16
r3 = 0
call 131
if r0 == 0 goto out
r1 = 7
*(u64 *)(r0 + 8) = r1
r1 = r0
r2 = 0
call 132
out:
r0 = 2
exit
