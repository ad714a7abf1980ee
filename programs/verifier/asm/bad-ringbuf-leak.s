; a reservation neither submitted nor discarded
; type: xdp
; map rb: ringbuf key=0 value=0 entries=4096
; kernel: reject
; error: Unreleased reference id=2 alloc_insn=4
r1 = map[rb] ll
r2 = 16
r3 = 0
call 131
r0 = 0
exit
