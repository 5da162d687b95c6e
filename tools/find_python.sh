#!/bin/sh
# Prints the first Python that can import the given modules (Debian's first, then PATH's).
#   PY=$(sh tools/find_python.sh torch onnx) || exit 1
imports=$(echo "$@" | sed 's/ /, /g')
for cand in /usr/bin/python3 python3 python; do
  if command -v "$cand" >/dev/null 2>&1 && "$cand" -c "import $imports" >/dev/null 2>&1; then
    echo "$cand"
    exit 0
  fi
done
exit 1
