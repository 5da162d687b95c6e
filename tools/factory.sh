#!/bin/sh
# Model factory launcher: picks a Python that can import torch and runs the factory CLI.
#   sh tools/factory.sh build [--smoke] [--out DIR]
#   sh tools/factory.sh testset --seed S --count N --out DIR
#   sh tools/factory.sh fixtures [--out DIR]
set -e
HERE=$(cd "$(dirname "$0")" && pwd)
PY=""
for cand in /usr/bin/python3 python3 python; do
  if command -v "$cand" >/dev/null 2>&1 && "$cand" -c "import torch, onnx" >/dev/null 2>&1; then
    PY="$cand"; break
  fi
done
if [ -z "$PY" ]; then
  echo "factory: no Python with torch and onnx found (apt-get install python3-torch python3-onnx python3-pil python3-scipy python3-pytest, or pip install -r tools/requirements.txt)" >&2
  exit 1
fi
# passive OpenMP waiting: much faster when other processes share the cores
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
PYTHONPATH="$HERE${PYTHONPATH:+:$PYTHONPATH}" exec "$PY" -m flowclas_factory "$@"
