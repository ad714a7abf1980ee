; a counted loop of 100 iterations, explored to its end
; type: xdp
; kernel: accept
r0 = 0
r1 = 0
loop:
r0 += r1
r1 += 1
if r1 < 100 goto loop
r0 = 2
exit
