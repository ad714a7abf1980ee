; reading a register nothing wrote
; type: xdp
; kernel: reject
; error: R2 !read_ok
r0 = r2
exit
