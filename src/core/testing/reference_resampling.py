"""Dense-matrix form of the shared resampling rule (docs/bundle-format.md), for the numpy
reference scripts: each axis is an (out x in) matrix built straight from the formulas."""
import numpy as np


def axis_matrix(n_in, n_out):
    """Area average down (adaptive-pool windows), half-pixel linear up (clamped), identity."""
    m = np.zeros((n_out, n_in))
    if n_out < n_in:
        for i in range(n_out):
            start = (i * n_in) // n_out
            end = -((-(i + 1) * n_in) // n_out)
            m[i, start:end] = 1.0 / (end - start)
    elif n_out > n_in:
        src = np.clip((np.arange(n_out) + 0.5) * n_in / n_out - 0.5, 0, n_in - 1)
        left = np.floor(src).astype(int)
        right = np.minimum(left + 1, n_in - 1)
        frac = src - left
        rows = np.arange(n_out)
        np.add.at(m, (rows, left), 1 - frac)
        np.add.at(m, (rows, right), frac)
    else:
        m = np.eye(n_in)
    return m


def resize(plane, out_h, out_w):
    """One [H, W] plane resized rows-then-columns in float64."""
    return axis_matrix(plane.shape[0], out_h) @ plane.astype(np.float64) @ axis_matrix(plane.shape[1], out_w).T
