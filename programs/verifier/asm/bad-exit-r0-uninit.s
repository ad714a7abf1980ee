; exit without a return value
; type: xdp
; kernel: reject
; error: R0 !read_ok
r1 = 1
exit
