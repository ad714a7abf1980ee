; writing past the reserved 16 bytes
; type: xdp
; map rb: ringbuf key=0 value=0 entries=4096
; kernel: reject
; error: invalid access to memory, mem_size=16 off=12 size=8
r1 = map[rb] ll
r2 = 16
r3 = 0
call 131
if r0 == 0 goto out
r1 = 0
*(u64 *)(r0 + 12) = r1
r1 = r0
r2 = 0
call 132
out:
r0 = 0
exit
