import Foundation
import SegworkData

/// Stable cluster ids across versions: the new centres are matched to the previous version's by the Hungarian
/// method on squared distance in the new scaled space, so a re-run on slightly changed data keeps each cluster's id.
enum ClusterMatching {
    /// The previous centres mapped into the new scaled space (one row per previous cluster), or nil when the two
    /// clusterings do not share their numeric features and scalings (then there is nothing to match).
    static func previousCenters(_ previous: ClusterReport, features: [ClusterFeatureInfo]) -> [[Double]]? {
        let numericNew = features.filter { $0.value == nil }.map { "\($0.name) \($0.scale)" }
        let numericOld = previous.features.filter { $0.value == nil }.map { "\($0.name) \($0.scale)" }
        guard numericNew == numericOld else { return nil }
        let oldIndex = Dictionary(previous.features.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        return previous.clusters.map { cluster in
            features.map { f in
                guard let j = oldIndex[f.name], j < cluster.scaled.count else { return 0 }  // a category new in this run
                let old = previous.features[j]
                let unscaled = cluster.scaled[j] * old.scaleBy + old.center
                return (unscaled - f.center) / f.scaleBy
            }
        }
    }

    /// Ids for the new clusters (given by their scaled centres): matched ones take the previous id; the others
    /// (k grew, or no old centre is left whose nearest new centre it is) take the next ids never used, in
    /// `order`. A new cluster can only take the id of the old centre nearest to it, so a cluster that disappeared
    /// does not hand its id to another group (its id is retired, see ``ClusterReport/highestID``).
    static func ids(centers: [[Double]], order: [Int], previous: ClusterReport, mapped: [[Double]]) -> [Int] {
        let k = centers.count, old = mapped.count
        var cost = [Double](repeating: 0, count: k * old)
        for i in 0..<k {
            for j in 0..<old {
                var s = 0.0
                for (a, b) in zip(centers[i], mapped[j]) { s += (a - b) * (a - b) }
                cost[i * old + j] = s
            }
        }
        // Only a new centre's nearest old centres may give it their id: the others cost more than any assignment
        // of nearest ones in total, so the matching keeps as many nearest pairs as it can, then the least distance.
        let nearest = (0..<(k * old)).map { p in (0..<old).allSatisfy { cost[(p / old) * old + $0] >= cost[p] } }
        let penalty = (cost.max() ?? 0) * Double(k + 1) + 1
        let match = Hungarian.assign(cost.indices.map { nearest[$0] ? cost[$0] : cost[$0] + penalty }, rows: k, cols: old)
        var ids = [Int](repeating: 0, count: k)
        for (i, j) in match.enumerated() where j >= 0 && nearest[i * old + j] { ids[i] = previous.clusters[j].id }
        var next = max(previous.clusters.map(\.id).max() ?? 0, previous.highestID ?? 0) + 1
        for i in order where ids[i] == 0 { ids[i] = next; next += 1 }
        return ids
    }
}
