help
echo hello from the script
set NEREID_SUITE
set NEREID_SHELL=works well
set NEREID_SHELL
echo [%NEREID_SHELL%] [%NO_SUCH_VARIABLE%]
set NEREID_SHELL=
set nereid_shell
set
ver
date
time
sysinfo
ps
kill 999
kill nine
cd \Device
cd
cd ..\ObjectTypes
cd ..
cd \NoSuchDirectory
dir \??
dir \ObjectTypes
dir \Driver
dir \NoSuchDirectory
dir \SystemRoot\*.sys
dir \SystemRoot\hello.exe
cd \SystemRoot
dir
cd \
devtree
lm
lm smss.exe
lm nosuch.exe
hello a b
start pschild exit 5
nosuchprogram arg
ntcmd /c "echo nested & exit 3"
ntcmd /k keys.txt
driver unload null
driver load null
driver frob null
beep 440 10
echo one & echo two
cls
exit 7
