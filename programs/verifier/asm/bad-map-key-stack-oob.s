; a 4-byte key whose bytes cross the frame pointer
; type: xdp
; map m: hash key=4 value=8 entries=4
; kernel: reject
; error: invalid read from stack R2 off=-2 size=4
r2 = r10
r2 += -2
r1 = map[m] ll
call 1
r0 = 0
exit
