#!/usr/bin/env python3
"""k-means benchmark (issue 10, docs/PERFORMANCE.md "k-means (issue 10)"): Segwork's kernel against scikit-learn.

Generates 1M customers × 8 features (seeded): log-normal money (spend, average order value, income), counts
(orders, sessions: Poisson and negative binomial), recency and tenure in days, and age, drawn from five overlapping
groups of unequal size, so the clusters are neither clear nor spherical. As Segwork's `features.clusters` does,
the money columns are log1p'ed and every column z-scored. Both fits then run on the same matrix with k = 5:

  scikit-learn  KMeans(n_clusters=5, init="k-means++", n_init=1, random_state=SEED).fit(X)
  Segwork       .build/release/kmeans-bench (KMeans.fit: k-means++ on SplitMix64(SEED), n_init 1, Lloyd)

Run from the repository root (needs scikit-learn in .build/venv: `.build/venv/bin/pip install scikit-learn`):

    swift build -c release --product kmeans-bench
    .build/venv/bin/python3 bench/kmeans.py [--rows 1000000] [--runs 3] [--seeds 0,1,2]

Prints the median fit time of each (wall seconds, all cores) and each seed's inertia.
"""
import argparse, json, os, statistics, subprocess, tempfile, time
import numpy as np
import sklearn
from sklearn.cluster import KMeans

ap = argparse.ArgumentParser()
ap.add_argument("--rows", type=int, default=1_000_000)
ap.add_argument("--runs", type=int, default=3)
ap.add_argument("--seeds", default="0,1,2")
ap.add_argument("--binary", default=".build/release/kmeans-bench")
a = ap.parse_args()

rng = np.random.default_rng(2026)
n = a.rows
group = rng.choice(5, size=n, p=[0.35, 0.25, 0.2, 0.15, 0.05])
g = lambda *v: np.array(v)[group]
spend = rng.lognormal(g(4.0, 5.0, 6.0, 5.5, 7.5), 0.9)
aov = rng.lognormal(g(3.2, 3.6, 3.9, 4.4, 4.8), 0.5)
income = rng.lognormal(g(10.4, 10.7, 10.9, 11.2, 11.6), 0.4)
orders = rng.poisson(g(1.2, 3.0, 6.0, 2.0, 14.0)) + 1
sessions = rng.negative_binomial(2, g(0.4, 0.2, 0.1, 0.3, 0.05))
recency = rng.gamma(2.0, g(120, 60, 25, 90, 10))
tenure = rng.uniform(g(30, 200, 400, 100, 700), g(400, 900, 1500, 800, 2000))
age = rng.normal(g(29, 38, 45, 52, 47), 9)
X = np.column_stack([np.log1p(spend), np.log1p(aov), np.log1p(income), orders, sessions, recency, tenure, age]).astype(np.float64)
X = (X - X.mean(axis=0)) / X.std(axis=0)
X = np.ascontiguousarray(X)

seeds = [int(s) for s in a.seeds.split(",")]
print(f"{n:,} rows × {X.shape[1]} features, k = 5; scikit-learn {sklearn.__version__}, numpy {np.__version__}; "
      f"median of {a.runs} runs per seed; {os.cpu_count()} cores")
with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "x.f64")
    X.astype("<f8").tofile(path)
    rows = []
    for seed in seeds:
        sk_times, sw_times = [], []
        for _ in range(a.runs):
            time.sleep(0.5)  # let the other tool's threads go idle (OpenMP workers spin for a while after a fit)
            t = time.perf_counter()
            km = KMeans(n_clusters=5, init="k-means++", n_init=1, random_state=seed).fit(X)
            sk_times.append(time.perf_counter() - t)
            time.sleep(0.5)
            out = json.loads(subprocess.run([a.binary, path, str(n), str(X.shape[1]), "5", str(seed)],
                                            check=True, capture_output=True, text=True).stdout)
            sw_times.append(out["seconds"])
        rows.append((seed, statistics.median(sw_times), out["inertia"], out["iterations"],
                     statistics.median(sk_times), km.inertia_, km.n_iter_))
print(f"{'seed':>4}  {'segwork s':>9}  {'sklearn s':>9}  {'segwork inertia':>16}  {'sklearn inertia':>16}  {'ratio':>7}  iters (sw/sk)")
for seed, sw, swi, swn, sk, ski, skn in rows:
    print(f"{seed:>4}  {sw:9.3f}  {sk:9.3f}  {swi:16.1f}  {ski:16.1f}  {swi / ski:7.4f}  {swn}/{skn}")
print(f"median  segwork {statistics.median(r[1] for r in rows):.3f} s  sklearn {statistics.median(r[4] for r in rows):.3f} s; "
      f"best inertia segwork {min(r[2] for r in rows):.1f}  sklearn {min(r[5] for r in rows):.1f}")
