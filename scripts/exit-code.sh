#!/bin/sh
# Run a command, print its exit code and what it means as the last line, and exit with that code.
# GNU make turns every failing recipe into its own exit status 2, so `make reproduce` alone cannot
# tell a claim that differs (3) from an input error (2); this line can, and with EXIT_CODE_FILE set
# the code is also written to that file for a script to read.
"$@"
code=$?
case $code in
  0) meaning="success: every checked claim matches" ;;
  1) meaning="a task or a comparison failed" ;;
  2) meaning="a usage or input error (missing file, checksum mismatch, bad setting)" ;;
  3) meaning="a claim DIFFERS from the paper (or, with --strict, could not be checked)" ;;
  *) meaning="interrupted or crashed" ;;
esac
echo "exit code $code: $meaning" >&2
if [ -n "${EXIT_CODE_FILE:-}" ]; then
  echo "$code" > "$EXIT_CODE_FILE"
fi
exit $code
