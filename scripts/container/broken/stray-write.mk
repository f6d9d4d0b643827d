# expect: wrote outside outputs
# A reproduce that leaves a file beside the code, outside outputs/.
reproduce: stray-write
stray-write:
	echo "written by reproduce" > /artifact/stray.txt
