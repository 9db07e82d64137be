import Foundation

/// Readable cluster labels from the features that set each cluster apart (docs/CLUSTERING.md, "Labels"):
/// features by |z| descending (ties in feature order); a numeric one reads `high <name>` (z > 0) or `low <name>`,
/// a one-hot one reads `<column>=<value>` and counts only when z > 0. A label takes the first two with |z| ≥ 0.5,
/// or `typical` when none has. Clusters whose labels clash take more features, one at a time and regardless of the
/// threshold, until they differ; a label still shared gets ` (cluster <id>)`.
enum ClusterLabels {
    /// |z| a feature needs to name a cluster.
    static let threshold = 0.5
    /// Features a label names before any clash.
    static let words = 2

    /// One label per cluster, for clusters with z-scores `z[c][feature]` and ids `ids[c]`.
    static func make(z: [[Double]], features: [ClusterFeatureInfo], ids: [Int]) -> [String] {
        let ranked: [[(word: String, size: Double)]] = z.map { zs in
            zs.indices.sorted { abs(zs[$0]) != abs(zs[$1]) ? abs(zs[$0]) > abs(zs[$1]) : $0 < $1 }.compactMap { j in
                let f = features[j]
                if f.value != nil { return zs[j] > 0 ? (f.name, zs[j]) : nil }
                return zs[j] == 0 ? nil : ((zs[j] > 0 ? "high " : "low ") + f.name, abs(zs[j]))
            }
        }
        var taken = ranked.map { r in r.prefix(words).filter { $0.size >= threshold }.count }
        func label(_ c: Int) -> String { taken[c] == 0 ? "typical" : ranked[c].prefix(taken[c]).map(\.word).joined(separator: ", ") }
        while true {
            let labels = z.indices.map(label)
            let clashing = z.indices.filter { c in labels.indices.contains { $0 != c && labels[$0] == labels[c] } }
            let growable = clashing.filter { taken[$0] < ranked[$0].count }
            if growable.isEmpty {
                return z.indices.map { clashing.contains($0) ? "\(labels[$0]) (cluster \(ids[$0]))" : labels[$0] }
            }
            for c in growable { taken[c] += 1 }
        }
    }
}
