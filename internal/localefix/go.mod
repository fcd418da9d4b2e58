module a.tawsim/localefix

go 1.24
