#!/bin/sh
# Run a command, print its exit code and what it means as the last line, and exit with that code.
# GNU make turns every failing recipe into its own exit status 2, so `make reproduce` alone cannot
# tell a claim that differs (3) from an input error (2); this line can, and with EXIT_CODE_FILE set
# the code is also written to that file for a script to read. What the run verified (nothing and
# why, the metrics it left unchecked, or that its data are synthetic) ends the line: `reproduce`
# writes it to $ARTIFACT_CONCLUSION_FILE.
note=$(mktemp) || exit 1
ARTIFACT_CONCLUSION_FILE="$note" "$@"
code=$?
case $code in
  0) meaning="success: every checked claim matches" ;;
  1) meaning="a task or a comparison failed" ;;
  2) meaning="a usage or input error (missing file, checksum mismatch, bad setting)" ;;
  3) meaning="a claim DIFFERS from the paper (or, with --strict, could not be checked)" ;;
  4) meaning="nothing verified" ;;
  *) meaning="interrupted or crashed" ;;
esac
verified=$(head -c 2000 "$note" | head -n 1)
rm -f "$note"
if [ -n "$verified" ]; then
  meaning="$meaning; $verified"
fi
echo "exit code $code: $meaning" >&2
if [ -n "${EXIT_CODE_FILE:-}" ]; then
  echo "$code" > "$EXIT_CODE_FILE"
fi
exit $code
