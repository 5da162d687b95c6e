"""Command line: build [--smoke] [--out DIR] | testset --seed S --count N --out DIR | fixtures [--out DIR]
| bench-pipeline --bundle DIR --image PNG --checkpoints DIR
| convert dinov2|flowclas ... | variants DIR [--fp16] [--int8] | realsize --out DIR
| variant-report --bundle DIR --image PNG."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def main(argv=None):
    ap = argparse.ArgumentParser(prog="factory", description="FlowCLAS demo model factory")
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build", help="world -> trained models -> bundle, samples, goldens, report")
    b.add_argument("--smoke", action="store_true", help="same path, tiny budgets (minutes)")
    b.add_argument("--out", type=Path, default=None,
                   help="output root (default: the repository for a full build; required for --smoke)")
    b.add_argument("--work", type=Path, default=None, help="scratch folder for datasets and checkpoints")
    b.add_argument("--seed", type=int, default=0)
    b.add_argument("--resume", action="store_true", help="reuse trained stages found in --work (same config)")
    b.add_argument("--only", choices=("backbone", "segmenter", "flows"), default=None,
                   help="train this one independent stage into --work and stop (e.g. both at once on two cores)")
    pr = sub.add_parser("progress", help="where a resumable build stands (stages, backbone diagnostics)")
    pr.add_argument("--work", type=Path, required=True, help="the build's --work folder")
    pr.add_argument("--report", type=Path, default=None,
                    help="put the section at the end of this report (replacing an earlier one) instead of printing it")
    t = sub.add_parser("testset", help="fresh held-out test images with ground truth")
    t.add_argument("--seed", type=int, required=True)
    t.add_argument("--count", type=int, required=True)
    t.add_argument("--out", type=Path, required=True)
    f = sub.add_parser("fixtures", help="tiny random-weight fixture bundles with goldens")
    f.add_argument("--out", type=Path, default=REPO / "fixtures" / "bundles")
    sub.add_parser("bench-pipeline", add_help=False,
                   help="per-stage timing of the PyTorch reference pipeline (used by npm run bench)")
    sub.add_parser("convert", add_help=False, help="DINOv2 / FlowCLAS checkpoints -> ONNX bundle folder")
    sub.add_parser("variants", add_help=False, help="fp16 and int8 variants of a bundle's ONNX files")
    sub.add_parser("realsize", add_help=False, help="random-weight bundle with the real architectures and sizes")
    sub.add_parser("variant-report", add_help=False, help="each weight variant in onnxruntime-node: times, score diffs")
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["bench-pipeline"]:
        from .bench_pipeline import main as bench_main
        return bench_main(argv[1:])
    if argv[:1] == ["convert"]:
        from .convert import main as convert_main
        return convert_main(argv[1:])
    if argv[:1] == ["variants"]:
        from .precision import main as variants_main
        return variants_main(argv[1:])
    if argv[:1] == ["variant-report"]:
        from .variant_report import main as report_main
        return report_main(argv[1:])
    if argv[:1] == ["realsize"]:
        from .realsize import main as realsize_main
        return realsize_main(argv[1:])
    a = ap.parse_args(argv)
    if a.cmd == "testset":
        from .world import write_testset
        names = write_testset(a.seed, a.count, a.out)
        print(f"wrote {len(names)} images to {a.out}")
    elif a.cmd == "fixtures":
        from .goldens import build_all_fixtures
        build_all_fixtures(a.out)
        print(f"wrote fixture bundles to {a.out}")
    elif a.cmd == "progress":
        from .build import render_progress, write_progress
        print(write_progress(a.work, a.report) if a.report else render_progress(a.work))
    elif a.cmd == "build":
        from .build import build
        if a.smoke and a.out is None:
            ap.error("--smoke needs --out DIR (it never overwrites the committed outputs)")
        build(out_root=a.out or REPO, smoke=a.smoke, seed=a.seed, work=a.work, resume=a.resume, only=a.only)
    return 0


if __name__ == "__main__":
    sys.exit(main())
