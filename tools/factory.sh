#!/bin/sh
# Model factory launcher: picks a Python that can import torch and runs the factory CLI.
#   sh tools/factory.sh build [--smoke] [--out DIR]
#   sh tools/factory.sh testset --seed S --count N --out DIR
#   sh tools/factory.sh fixtures [--out DIR]
#   sh tools/factory.sh bench-pipeline --bundle DIR --image PNG --checkpoints DIR
set -e
HERE=$(cd "$(dirname "$0")" && pwd)
if ! PY=$(sh "$HERE/find_python.sh" torch onnx); then
  echo "factory: no Python with torch and onnx found (apt-get install python3-torch python3-onnx python3-pil python3-scipy python3-pytest, or pip install -r tools/requirements.txt)" >&2
  exit 1
fi
PYTHONPATH="$HERE${PYTHONPATH:+:$PYTHONPATH}" exec "$PY" -m flowclas_factory "$@"
