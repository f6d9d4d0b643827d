# `make help`: every target of the Makefile with the first sentence of the comment above it (which
# may run over several lines), $(NAME) replaced by the value passed in `values` ("NAME=value ...").
BEGIN {
  count = split(values, pairs, " ")
  for (i = 1; i <= count; i++) { split(pairs[i], pair, "="); value[pair[1]] = pair[2] }
}
/^# / { block = block (block == "" ? "" : " ") substr($0, 3); next }
/^[a-z][a-z-]*:/ && block != "" { split($0, name, ":"); printf "  %-20s %s\n", name[1], expand(first_sentence(block)) }
{ block = "" }

# The text up to the first ". " or "; " outside parentheses, ending with a full stop.
function first_sentence(text,    depth, i, c) {
  for (i = 1; i <= length(text); i++) {
    c = substr(text, i, 1)
    if (c == "(") depth++
    else if (c == ")") depth--
    else if ((c == "." || c == ";") && depth == 0 && (i == length(text) || substr(text, i + 1, 1) == " "))
      return substr(text, 1, i - 1) "."
  }
  return text
}

function expand(text,    variable) {
  while (match(text, /\$\([A-Z_]+\)/)) {
    variable = substr(text, RSTART + 2, RLENGTH - 3)
    text = substr(text, 1, RSTART - 1) (variable in value ? value[variable] : "<" variable ">") substr(text, RSTART + RLENGTH)
  }
  return text
}
