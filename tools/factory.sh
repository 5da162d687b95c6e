#!/bin/sh
# Model factory launcher: picks a Python that can import torch and runs the factory CLI.
#   sh tools/factory.sh build [--smoke] [--out DIR]
#   sh tools/factory.sh testset --seed S --count N --out DIR
#   sh tools/factory.sh fixtures [--out DIR]
#   sh tools/factory.sh bench-pipeline --bundle DIR --image PNG --checkpoints DIR
#   sh tools/factory.sh convert dinov2 --checkpoint F.pth --out DIR [--final-norm] [--max-side N]
#   sh tools/factory.sh convert flowclas --checkpoint CKPT --dinov2 F.pth --reins R.pth --out DIR [--max-side N]
#   sh tools/factory.sh variants DIR [--fp16] [--int8]
#   sh tools/factory.sh variant-report --bundle DIR --image PNG [--max-side N]
#   sh tools/factory.sh realsize --out DIR [--max-side 448]
set -e
HERE=$(cd "$(dirname "$0")" && pwd)
if ! PY=$(sh "$HERE/find_python.sh" torch onnx); then
  echo "factory: no Python with torch and onnx found (apt-get install python3-torch python3-onnx python3-pil python3-scipy python3-pytest, or pip install -r tools/requirements.txt)" >&2
  exit 1
fi
# Spinning OpenMP threads slow training several times when other processes share the cores.
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
PYTHONPATH="$HERE${PYTHONPATH:+:$PYTHONPATH}" exec "$PY" -m flowclas_factory "$@"
