import Foundation
import SegworkData

/// The clustering's part of the profile exports (docs/CLUSTERING.md, "Profiles"); profiles.json carries the
/// `ClusterReport` itself.
enum ClusterExport {
    /// profiles.csv rows after the segments: `(clustering)` rows for k, the silhouette and each candidate, then
    /// per cluster (`(cluster <id>)`) its label (in `text`), size, the centroid of each feature and the z-scores that
    /// set it apart.
    static func csv(_ c: ClusterReport, _ out: inout CSVText) {
        func put(_ segment: String, _ column: String, _ statistic: String, _ value: String, text: String = "") {
            out.row([CSVText.text(segment), CSVText.text(column), statistic, value, text])
        }
        put("(clustering)", "", "k", String(c.k))
        put("(clustering)", "", "silhouette", CSVText.number(c.silhouette))
        put("(clustering)", "", "clustered", String(c.clustered))
        put("(clustering)", "", "unclustered", String(c.unclustered))
        for candidate in c.candidates {
            put("(clustering)", "", "silhouette_k\(candidate.k)", CSVText.number(candidate.silhouette))
            put("(clustering)", "", "inertia_k\(candidate.k)", CSVText.number(candidate.inertia))
        }
        for cluster in c.clusters {
            let name = "(cluster \(cluster.id))"
            put(name, c.labelColumn, "label", "", text: CSVText.text(cluster.label))
            put(name, "", "count", String(cluster.size))
            for (f, v) in zip(c.features, cluster.centroid) { put(name, f.name, "centroid", CSVText.number(v)) }
            for a in cluster.apart { put(name, a.feature, "z", CSVText.number(a.z)) }
        }
    }

    /// profiles.md's "Clusters" section: the candidates for k, then one row per cluster with its size, what sets
    /// it apart and its centroid.
    static func markdown(_ c: ClusterReport, into md: inout MarkdownText) {
        md.line("## Clusters")
        md.line()
        let s = c.silhouette.map { MarkdownText.fixed($0, decimals: 3) } ?? "-"
        md.line("k = \(c.k) (silhouette \(s) on a sample of \(MarkdownText.count(c.sample)), seed \(c.seed)); \(MarkdownText.count(c.clustered)) customers clustered, \(MarkdownText.count(c.unclustered)) left out (a feature missing)" + (c.keptIDs ? "; ids kept from the previous version" : ""))
        md.line()
        md.table(["k", "silhouette", "inertia"], align: [.right, .right, .right],
                 rows: c.candidates.map { [String($0.k), $0.silhouette.map { MarkdownText.fixed($0, decimals: 3) } ?? "-",
                                           MarkdownText.grouped(MarkdownText.fixed($0.inertia, decimals: 1))] })
        md.table(["id", "label", "customers", "set apart by (z)"] + c.features.map(\.name),
                 align: [.right, .left, .right, .left] + c.features.map { _ in .right },
                 rows: c.clusters.map { cl in
                     [String(cl.id), cl.label, MarkdownText.count(cl.size),
                      cl.apart.prefix(3).map { "\($0.feature) \(MarkdownText.ratio($0.z))" }.joined(separator: ", ")]
                         + (cl.suppressed == true ? c.features.map { _ in "-" } : cl.centroid.map { MarkdownText.statistic($0, date: false) })
                 })
    }
}
