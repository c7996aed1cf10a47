"""ONNX's own checker on every file given: onnx.checker.check_model(model, full_check=True), which
also infers every shape. Prints one line per file and exits 1 if any is rejected.

Usage: /usr/bin/python3 scripts/onnx-check.py FILE.onnx...   (needs Debian's python3-onnx)
"""
import sys

import onnx

failed = 0
for path in sys.argv[1:]:
    try:
        onnx.checker.check_model(onnx.load(path), full_check=True)
        print(f"ok {path}")
    except Exception as e:  # the checker raises ValidationError, shape inference InferenceError
        failed += 1
        print(f"REJECTED {path}: {e}")
sys.exit(1 if failed else 0)
