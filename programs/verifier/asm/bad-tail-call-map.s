; bpf_tail_call needs a prog array
; type: xdp
; map m: hash key=4 value=8 entries=4
; kernel: reject
; error: expected prog array map for tail call
r2 = map[m] ll
r3 = 0
call 12
r0 = 0
exit
