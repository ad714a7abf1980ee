; a tail call through a prog array, falling through when the slot is empty
; type: xdp
; map jt: prog_array key=4 value=4 entries=4
; kernel: accept
r2 = map[jt] ll
r3 = 1
call 12
r0 = 2
exit
