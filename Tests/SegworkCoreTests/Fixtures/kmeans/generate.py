#!/usr/bin/env python3
"""Regenerates the k-means and silhouette fixtures that KMeansKernelTests compares Segwork's kernel against.

Run from the repository root with scikit-learn installed (for example `.build/venv/bin/pip install scikit-learn`):

    .build/venv/bin/python3 Tests/SegworkCoreTests/Fixtures/kmeans/generate.py

Every case is seeded, so the output is the same on every run of the same scikit-learn. Each fit starts from centres
passed explicitly (`init=<array>`, `n_init=1`), because Segwork's k-means++ draws its candidates from its own
generator (SplitMix64), not numpy's.
"""
import json, os
import numpy as np
import sklearn
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score

here = os.path.dirname(os.path.abspath(__file__))


def case(name, X, k, init_rows, max_iter=300, tol=1e-4):
    init = X[init_rows]
    km = KMeans(n_clusters=k, init=init, n_init=1, max_iter=max_iter, tol=tol, algorithm="lloyd").fit(X)
    sil = float(silhouette_score(X, km.labels_)) if len(set(km.labels_)) > 1 else None
    return {
        "name": name, "rows": int(X.shape[0]), "cols": int(X.shape[1]), "k": k, "max_iter": max_iter, "tol": tol,
        "x": [float(v) for v in X.ravel()], "init": [float(v) for v in init.ravel()],
        "labels": [int(v) for v in km.labels_], "inertia": float(km.inertia_), "n_iter": int(km.n_iter_),
        "centers": [float(v) for v in km.cluster_centers_.ravel()], "silhouette": sil,
    }


rng = np.random.default_rng(20261206)
cases = []
# Four blobs in 3-D, overlapping a little.
centres = np.array([[0, 0, 0], [4, 1, 0], [1, 5, 2], [5, 5, 5]], dtype=float)
X = np.vstack([c + rng.normal(scale=1.2, size=(75, 3)) for c in centres])
cases.append(case("blobs3d", X, 4, [0, 1, 2, 3]))
# Skewed money and counts (log-normal and Poisson), no clear clusters: many iterations.
X = np.column_stack([rng.lognormal(4, 1, 240), rng.poisson(3, 240).astype(float), rng.normal(40, 12, 240)])
cases.append(case("skewed", X, 5, [3, 50, 100, 150, 200]))
# Two-dimensional, stopped by max_iter before it converges.
X = rng.normal(size=(150, 2)) * [3, 1]
cases.append(case("capped", X, 3, [0, 1, 2], max_iter=2))
# A grid (y stretched so no two rows are equally far from a centre) started from a duplicated centre: every row
# ties between the two equal centres and goes to the first, so the second starts empty and takes the farthest row.
X = np.array([[x, y * 1.37] for x in range(6) for y in range(5)], dtype=float)
cases.append(case("grid_empty", X, 3, [0, 0, 27]))

with open(os.path.join(here, "kmeans.json"), "w") as f:
    json.dump({"sklearn": sklearn.__version__, "numpy": np.__version__, "cases": cases}, f, separators=(",", ":"))
    f.write("\n")
print("wrote", len(cases), "cases with scikit-learn", sklearn.__version__)
