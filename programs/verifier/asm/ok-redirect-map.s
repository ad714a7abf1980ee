; bpf_redirect_map into a devmap
; type: xdp
; map ports: devmap key=4 value=4 entries=4
; kernel: accept
r1 = map[ports] ll
r2 = 0
r3 = 2
call 51
exit
