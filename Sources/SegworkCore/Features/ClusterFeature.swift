import Foundation
import LuaHost
import SegworkData

/// The clustering feature (`features.clusters`, docs/CLUSTERING.md): k-means on the prepared matrix for each
/// candidate k, k chosen by silhouette on a seeded sample, ids kept from the previous version when there is one,
/// readable labels, and two columns added to the customer table: the id (integer) and the label (text).
enum ClusterFeature {
    /// What the feature adds to a run.
    struct Outcome {
        /// The id column and the label column (missing for customers left unclustered).
        var columns: [Column]
        /// The fitted model, for profiles.json and the plugins' `prepare`.
        var report: ClusterReport
        /// Things to tell the user.
        var notes: [String]
    }

    /// Clusters the customers of `table`. `previous` is the clustering of the latest earlier version of the same
    /// definition, whose ids are kept. `runNotes` are the run's notes so far (they locate a bad value).
    static func compute(_ table: Table, _ spec: ClusterSpec, _ def: Definition, previous: ClusterReport?,
                        runNotes: [String] = []) throws -> Outcome {
        let matrix = try ClusterMatrix.build(table, spec, def, notes: runNotes)
        let m = matrix.rows, d = matrix.cols
        var ks = spec.k.filter { $0 <= m }
        guard !ks.isEmpty else {
            throw DefinitionError(file: def.file, line: def.line(of: "features.clusters.k", or: def.line(of: "features.clusters")),
                                  "features.clusters asks for k = \(spec.k.first!)\(spec.k.count > 1 ? "…\(spec.k.last!)" : ""), but only \(m) customers have every clustering column; lower k or fill the missing values")
        }
        var notes: [String] = []
        // k above the number of distinct points would leave clusters empty: such k are skipped, and a single k
        // (or a range with none left) is lowered to the number of distinct points.
        let distinct = ClusterChecks.distinctRows(matrix.values, rows: m, cols: d, upTo: ks.last!)
        if ks.last! > distinct {
            let skipped = ks.filter { $0 > distinct }
            ks = ks.filter { $0 <= distinct }
            if ks.isEmpty { ks = [distinct] }
            notes.append("features.clusters: the \(m) clustered customers have only \(distinct) distinct point\(distinct == 1 ? "" : "s"), so k = \(skipped.count == 1 ? "\(skipped[0])" : "\(skipped.first!)…\(skipped.last!)") cannot give that many clusters; \(spec.k.count == 1 || ks == [distinct] ? "k = \(distinct) is used" : "those k were skipped")")
        }
        var sampler = SplitMix64(seed: spec.seed ^ 0x5EED_5A3B_1E00_0000)
        let sample = sampler.sample(min(spec.sample, m), of: m)
        var sampleX = [Double](); sampleX.reserveCapacity(sample.count * d)
        for r in sample { sampleX += matrix.values[(r * d)..<(r * d + d)] }
        var candidates: [ClusterCandidate] = []
        var fits: [KMeans.Result] = []
        for k in ks {
            let fit = KMeans.fit(matrix.values, rows: m, cols: d, k: k, seed: spec.seed &+ UInt64(k),
                                 restarts: spec.restarts, maxIterations: spec.maxIterations, tol: spec.tolerance)
            let sil = k < 2 ? nil : Silhouette.score(sampleX, rows: sample.count, cols: d,
                                                     labels: sample.map { fit.labels[$0] }, k: k)
            candidates.append(ClusterCandidate(k: k, silhouette: sil, inertia: fit.inertia))
            fits.append(fit)
        }
        // The best silhouette; ties (and a range where none is defined) go to the smaller k.
        var chosen = 0
        for i in candidates.indices.dropFirst() where (candidates[i].silhouette ?? -.infinity) > (candidates[chosen].silhouette ?? -.infinity) {
            chosen = i
        }
        let fit = fits[chosen], k = ks[chosen]

        // Sizes, centres and centroids in original units, z-scores against all clustered customers.
        var sizes = [Int](repeating: 0, count: k)
        var sums = [Double](repeating: 0, count: k * d)
        for i in 0..<m {
            let c = Int(fit.labels[i]); sizes[c] += 1
            for j in 0..<d { sums[c * d + j] += matrix.original[i * d + j] }
        }
        // Centroids in original units. A sum of huge values can overflow: such a mean is summed in parts of
        // x / size instead, which never overflows.
        var centroids = (0..<(k * d)).map { sums[$0] / Double(max(sizes[$0 / d], 1)) }
        for c in 0..<k { for j in 0..<d where !centroids[c * d + j].isFinite {
            var mean = 0.0
            for i in 0..<m where Int(fit.labels[i]) == c { mean += matrix.original[i * d + j] / Double(sizes[c]) }
            centroids[c * d + j] = mean
        } }
        var mean = [Double](repeating: 0, count: d), sd = [Double](repeating: 0, count: d)
        for j in 0..<d {
            for i in 0..<m { mean[j] += matrix.values[i * d + j] }
            mean[j] /= Double(m)
            for i in 0..<m { let e = matrix.values[i * d + j] - mean[j]; sd[j] += e * e }
            sd[j] = (sd[j] / Double(m)).squareRoot()
        }
        let centers = (0..<k).map { Array(fit.centers[($0 * d)..<($0 * d + d)]) }
        let z = centers.map { c in (0..<d).map { j in sd[j] > 0 ? (c[j] - mean[j]) / sd[j] : 0 } }

        // Ids: by size (largest first, ties by centre), or the previous version's where the centres match.
        let order = (0..<k).sorted { sizes[$0] != sizes[$1] ? sizes[$0] > sizes[$1] : centers[$0].lexicographicallyPrecedes(centers[$1]) }
        var ids = [Int](repeating: 0, count: k)
        for (rank, c) in order.enumerated() { ids[c] = rank + 1 }
        let fresh = ids
        var highest: Int?
        var retired: [ClusterSummary] = [], matched = false
        if let previous {
            if let mapped = ClusterMatching.previousCenters(previous, features: matrix.features), !mapped.isEmpty {
                ids = ClusterMatching.ids(centers: centers, order: order, previous: previous, mapped: mapped)
                let used = max(previous.clusters.map(\.id).max() ?? 0, previous.highestID ?? 0)
                highest = used > ids.max()! ? used : nil
                retired = previous.clusters.filter { !ids.contains($0.id) }
                matched = true
            } else {
                notes.append("\(def.file): features.clusters: the previous version clustered on other columns or scalings, so cluster ids start afresh")
            }
        }
        let labels = ClusterLabels.make(z: z, features: matrix.features, ids: ids)
        if let previous, matched, !retired.isEmpty || ids.contains(where: { id in !previous.clusters.contains { $0.id == id } }) {
            let known = Set(previous.clusters.map(\.id))
            for c in retired {
                notes.append("features.clusters: cluster \(c.id) ('\(c.label)') of the previous version has no cluster near it now; its id is retired, not reused")
            }
            for c in (0..<k).sorted(by: { ids[$0] < ids[$1] }) where !known.contains(ids[c]) {
                notes.append("features.clusters: cluster \(ids[c]) ('\(labels[c])') is new in this version")
            }
        }

        let n = table.rowCount
        var idValues = [Int64](repeating: 0, count: n), labelCodes = [Int32](repeating: 0, count: n)
        var valid = [Bool](repeating: false, count: n)
        let byID = (0..<k).sorted { ids[$0] < ids[$1] }
        var code = [Int32](repeating: 0, count: k)
        for (i, c) in byID.enumerated() { code[c] = Int32(i) }
        for (i, row) in matrix.tableRows.enumerated() {
            let c = Int(fit.labels[i])
            idValues[row] = Int64(ids[c]); labelCodes[row] = code[c]; valid[row] = true
        }
        let validity = m == n ? nil : Bitmap(valid)
        let columns = [
            Column(name: spec.output, storage: .integer(idValues), validity: validity),
            Column(name: spec.labelColumn, storage: .string(codes: labelCodes, dictionary: byID.map { labels[$0] }),
                   validity: validity),
        ]
        let summaries = byID.map { c in
            ClusterSummary(id: ids[c], label: labels[c], size: sizes[c],
                           centroid: Array(centroids[(c * d)..<(c * d + d)]), scaled: centers[c],
                           apart: z[c].indices.sorted { abs(z[c][$0]) != abs(z[c][$1]) ? abs(z[c][$0]) > abs(z[c][$1]) : $0 < $1 }
                               .prefix(5).map { ClusterApart(feature: matrix.features[$0].name, z: z[c][$0]) })
        }
        let report = ClusterReport(output: spec.output, labelColumn: spec.labelColumn, features: matrix.features, k: k,
                                   silhouette: candidates[chosen].silhouette, candidates: candidates, sample: sample.count,
                                   seed: Int64(bitPattern: spec.seed), clustered: m, unclustered: n - m, keptIDs: ids != fresh,
                                   clusters: summaries, highestID: highest)
        if n > m {
            notes.append("\(n - m) customers have a clustering column missing and were left unclustered (\(spec.output) is empty for them)")
        }
        return Outcome(columns: columns, report: report, notes: notes)
    }

    /// The scorecard warning (kind `low_silhouette`) for a clustering whose silhouette is below `min_silhouette`
    /// (the run prints the scorecard's warnings as notes).
    static func lowSilhouette(_ report: ClusterReport?, _ spec: ClusterSpec?) -> SegmentWarning? {
        guard let report, let spec, let s = report.silhouette, s < spec.minSilhouette else { return nil }
        return SegmentWarning(kind: "low_silhouette", segment: nil, message:
            "the clustering's silhouette is \(String(format: "%.2f", s)) (k = \(report.k)), below \(formatDouble(spec.minSilhouette)): the clusters overlap; try other columns, another scaling or another k (docs/CLUSTERING.md)")
    }
}

extension ClusterFeature {
    /// Adds the cluster columns to `table` when the definition clusters; returns the model. `previous` is the
    /// clustering of the version the run compares with (``PriorVersion``), whose ids are kept.
    static func add(_ def: Definition, _ previous: ClusterReport?, to table: inout Table,
                    notes: inout [String]) throws -> ClusterReport? {
        guard let spec = def.clusters else { return nil }
        guard previous?.output == nil || previous?.output == spec.output else {
            return try add(def, nil, to: &table, notes: &notes)
        }
        let out = try compute(table, spec, def, previous: previous, runNotes: notes)
        for c in out.columns {
            guard table[c.name] == nil else {
                throw DefinitionError(file: def.file, line: def.line(of: "features.clusters.output", or: def.line(of: "features.clusters")),
                                      "features.clusters writes column '\(c.name)', which the customer table already has; set 'output' to another name")
            }
            try table.add(c)
        }
        notes += out.notes
        return out.report
    }

    /// The report with the centroids and z-scores of clusters smaller than `k` customers left out, as profiles
    /// suppress small groups. Their centres in the scaled space stay: the next run matches ids by them.
    static func suppress(_ report: ClusterReport?, k: Int?) -> ClusterReport? {
        guard var r = report, let k else { return report }
        for i in r.clusters.indices where r.clusters[i].size < k {
            r.clusters[i].centroid = []; r.clusters[i].apart = []; r.clusters[i].suppressed = true
        }
        return r
    }
}

extension ClusterFeature {
    /// The model plugins see in `prepare` as `stats.<field>.clusters` on the id and label columns: k, silhouette,
    /// the feature names, and per cluster (by id) its id, label, size and centroid in original units by feature name.
    static func pluginModels(_ report: ClusterReport?) -> [String: PluginValue] {
        guard let r = report else { return [:] }
        let names = r.features.map(\.name)
        let clusters: [PluginValue] = r.clusters.map { c in
            var centroid: [String: PluginValue] = [:]
            for (name, v) in zip(names, c.centroid) { centroid[name] = .double(v) }
            return .object(["id": .int(Int64(c.id)), "label": .string(c.label), "size": .int(Int64(c.size)),
                            "centroid": .object(centroid)])
        }
        var model: [String: PluginValue] = [
            "k": .int(Int64(r.k)), "features": .array(names.map { .string($0) }), "clusters": .array(clusters),
            "candidates": .array(r.candidates.map { c in
                var o: [String: PluginValue] = ["k": .int(Int64(c.k)), "inertia": .double(c.inertia)]
                if let s = c.silhouette { o["silhouette"] = .double(s) }
                return .object(o)
            }),
        ]
        if let s = r.silhouette { model["silhouette"] = .double(s) }
        return [r.output: .object(model), r.labelColumn: .object(model)]
    }
}
