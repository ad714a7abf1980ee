; callbacks need BTF func_info
; type: xdp
; kernel: reject
; error: missing btf func_info
r1 = 4
ld_pseudo r2, 0x4, 0x6
r3 = 0
r4 = 0
call 181
r0 = 0
exit
r0 = 0
exit
