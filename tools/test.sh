#!/bin/sh
# Factory tests (pytest in tools/tests): smoke build, ONNX checker, contracts, determinism, reference pipeline.
set -e
HERE=$(cd "$(dirname "$0")" && pwd)
if ! PY=$(sh "$HERE/find_python.sh" torch onnx pytest); then
  echo "test:factory: no Python with torch, onnx and pytest found (see tools/README.md)" >&2
  exit 1
fi
cd "$HERE"
# exit code 5 (no tests collected) is turned into a failure explicitly
set +e
PYTHONPATH="$HERE${PYTHONPATH:+:$PYTHONPATH}" "$PY" -m pytest -q -p no:cacheprovider tests "$@"
rc=$?
if [ "$rc" -eq 5 ]; then echo "test:factory: no tests were collected" >&2; exit 1; fi
exit "$rc"
