module tawsim

go 1.26.8
