import Foundation
import XCTest
@testable import SegworkCore
@testable import SegworkData

/// `features.clusters` below the CLI: parsing, the prepared matrix (scalings, one-hot, missing values), labels,
/// the choice of k and the matching of ids.
final class ClusterFeatureTests: XCTestCase {
    static let base = """
        population: customers
        id: customer_id
        datasets:
          customers: { file: c.csv }
        features:
          clusters:
        CLUSTERS
        criteria: [clusters]
        """

    func definition(_ clusters: String) throws -> Definition {
        let body = clusters.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n")
        return try Definition.parse(text: Self.base.replacingOccurrences(of: "CLUSTERS", with: body), file: "d.yaml", defaultName: "d")
    }

    func assertRefused(_ clusters: String, _ message: String, line: UInt = #line) {
        XCTAssertThrowsError(try definition(clusters), line: line) { e in
            let text = "\(e)"
            XCTAssertTrue(text.contains(message), text, line: line)
            XCTAssertTrue(text.contains("d.yaml:"), "names the file and line: \(text)", line: line)
        }
    }

    func testParsing() throws {
        let d = try definition("columns: [spend, visits]\ncategorical: [plan]\nk: [2, 5]\nscale: { spend: log, default: minmax }\nseed: 7\nsample: 500\nn_init: 3\nmax_iter: 50\ntol: 0.001\noutput: seg")
        let c = try XCTUnwrap(d.clusters)
        XCTAssertEqual(c.columns, ["spend", "visits"]); XCTAssertEqual(c.categorical, ["plan"])
        XCTAssertEqual(c.k, [2, 3, 4, 5]); XCTAssertEqual(c.scale, ["spend": .log]); XCTAssertEqual(c.defaultScale, .minmax)
        XCTAssertEqual(c.seed, 7); XCTAssertEqual(c.sample, 500); XCTAssertEqual(c.restarts, 3)
        XCTAssertEqual(c.maxIterations, 50); XCTAssertEqual(c.tolerance, 0.001); XCTAssertEqual(c.labelColumn, "seg_label")
        let plain = try XCTUnwrap(try definition("columns: [spend]\nk: 4").clusters)
        XCTAssertEqual(plain.k, [4]); XCTAssertEqual(plain.defaultScale, .zscore); XCTAssertEqual(plain.seed, 42)
        XCTAssertEqual(plain.sample, 2000); XCTAssertEqual(plain.restarts, 1); XCTAssertEqual(plain.output, "cluster")

        assertRefused("columns: [spend]", "needs 'k'")
        assertRefused("columns: [spend]\nk: [5, 2]", "write the lowest k first")
        assertRefused("columns: [spend]\nk: [1, 4]", "start the range at 2")
        assertRefused("columns: [spend]\nk: 3\nscale: cubic", "must be one of zscore, minmax, log, none")
        assertRefused("columns: [spend]\nk: 3\nscale: { spnd: log }", "did you mean 'spend'?")
        assertRefused("columns: [spend]\nk: 3\nclusters: 4", "unknown field 'clusters'")
    }

    func table() throws -> Table {
        try Table(columns: [
            Column(name: "customer_id", storage: .string(codes: [0, 1, 2, 3, 4], dictionary: ["a", "b", "c", "d", "e"])),
            Column(name: "spend", storage: .double([0, 9, 99, 999, 5]), validity: Bitmap([true, true, true, true, false])),
            Column(name: "visits", storage: .integer([1, 2, 3, 6, 1])),
            Column(name: "plan", storage: .string(codes: [1, 0, 1, 1, 0], dictionary: ["plus", "basic"])),
        ])
    }

    func testTheMatrixScalesOneHotEncodesAndLeavesOutMissingRows() throws {
        let d = try definition("columns: [spend, visits]\ncategorical: [plan]\nk: 2\nscale: { spend: log, visits: minmax }")
        let m = try ClusterMatrix.build(try table(), d.clusters!, d)
        XCTAssertEqual(m.tableRows, [0, 1, 2, 3], "row 4 has no spend: unclustered")
        XCTAssertEqual(m.features.map(\.name), ["spend", "visits", "plan=basic", "plan=plus"])
        // log: log1p(0, 9, 99, 999) = (0, ln 10, ln 100, ln 1000) → mean 1.5 ln 10, sd (ln 10)·√1.25.
        let ln10 = Foundation.log(10.0)
        let spend = (0..<4).map { m.values[$0 * 4] }
        for (got, k) in zip(spend, [0.0, 1, 2, 3]) { XCTAssertEqual(got, (k - 1.5) / 1.25.squareRoot(), accuracy: 1e-12) }
        XCTAssertEqual(m.features[0].center, 1.5 * ln10, accuracy: 1e-12)
        // minmax: (1, 2, 3, 6) → (0, 0.2, 0.4, 1).
        XCTAssertEqual((0..<4).map { m.values[$0 * 4 + 1] }, [0, 0.2, 0.4, 1])
        // one-hot, values in byte order, unscaled.
        // (dictionary ["plus", "basic"], codes 1 0 1 1: basic, plus, basic, basic)
        XCTAssertEqual((0..<4).map { m.values[$0 * 4 + 2] }, [1, 0, 1, 1])
        XCTAssertEqual((0..<4).map { m.values[$0 * 4 + 3] }, [0, 1, 0, 0])
        XCTAssertEqual((0..<4).map { m.original[$0 * 4] }, [0, 9, 99, 999], "original units kept for the centroids")

        let z = try definition("columns: [visits]\nk: 2")
        let zm = try ClusterMatrix.build(try table(), z.clusters!, z)
        // z-score with the population sd: visits 1, 2, 3, 6, 1 → mean 2.6, sd √3.44.
        XCTAssertEqual(zm.values[3], (6 - 2.6) / 3.44.squareRoot(), accuracy: 1e-12)

        let negative = try Table(columns: [Column(name: "customer_id", storage: .integer([1, 2])),
                                           Column(name: "spend", storage: .double([5, -1]))])
        let ld = try definition("columns: [spend]\nk: 1\nscale: log")
        XCTAssertThrowsError(try ClusterMatrix.build(negative, ld.clusters!, ld)) { e in
            XCTAssertTrue("\(e)".contains("customer 2 has -1; log needs values ≥ 0"), "\(e)")
        }
        let personal = try Definition.parse(text: Self.base.replacingOccurrences(of: "{ file: c.csv }", with: "{ file: c.csv, schema: { visits: { type: integer, pii: true } } }")
            .replacingOccurrences(of: "CLUSTERS", with: "    columns: [spend, visits]\n    k: 2"), file: "d.yaml", defaultName: "d")
        XCTAssertThrowsError(try ClusterMatrix.build(try table(), personal.clusters!, personal)) { e in
            XCTAssertTrue("\(e)".contains("names 'visits', which a dataset tags pii: true"), "\(e)")
        }
        let typo = try definition("columns: [spnd]\nk: 2")
        XCTAssertThrowsError(try ClusterMatrix.build(try table(), typo.clusters!, typo)) { e in
            XCTAssertTrue("\(e)".contains("did you mean 'spend'?"), "\(e)")
        }
    }

    func testLabelsFollowTheDocumentedRuleAndAreUnique() {
        let f = ["spend", "visits", "age"].map { ClusterFeatureInfo(name: $0, column: $0, value: nil, scale: "zscore", center: 0, scaleBy: 1) }
            + [ClusterFeatureInfo(name: "plan=plus", column: "plan", value: "plus", scale: "onehot", center: 0, scaleBy: 1)]
        let labels = ClusterLabels.make(z: [[1.2, -0.8, 0.1, 0],      // high spend, low visits
                                            [0.1, 0.2, -0.3, 0.9],    // plan=plus only (the rest below 0.5)
                                            [0.1, 0.2, 0.3, -0.4],    // nothing reaches 0.5: typical…
                                            [1.0, -0.6, 0.2, 0.1],    // clashes with the first: both take more
                                            [0.1, 0.1, 0.1, -0.9]],   // …typical too: both take their first feature
                                        features: f, ids: [1, 2, 3, 4, 5])
        // 0 and 3 both take age; still equal, 3 (which has a fourth feature, plan=plus) takes it, 0 has no more.
        XCTAssertEqual(labels[0], "high spend, low visits, high age")
        XCTAssertEqual(labels[3], "high spend, low visits, high age, plan=plus")
        XCTAssertEqual(labels[1], "plan=plus")
        // A negative one-hot z never names a cluster; ties in |z| go in feature order.
        XCTAssertEqual(labels[2], "high age")
        XCTAssertEqual(labels[4], "high spend")
        XCTAssertEqual(Set(labels).count, 5)
        // Identical clusters cannot differ by features: the id tells them apart.
        XCTAssertEqual(ClusterLabels.make(z: [[0.7], [0.7]], features: [f[0]], ids: [1, 2]),
                       ["high spend (cluster 1)", "high spend (cluster 2)"])
    }

    func testMatchingKeepsIdsAndGivesNewClustersTheNextOnes() throws {
        let f = [ClusterFeatureInfo(name: "x", column: "x", value: nil, scale: "zscore", center: 10, scaleBy: 2)]
        func cluster(_ id: Int, _ scaled: Double) -> ClusterSummary {
            ClusterSummary(id: id, label: "", size: 1, centroid: [0], scaled: [scaled], apart: [])
        }
        let previous = ClusterReport(output: "cluster", labelColumn: "cluster_label", features: f, k: 2, silhouette: nil,
                                     candidates: [], sample: 0, seed: 0, clustered: 2, unclustered: 0, keptIDs: false,
                                     clusters: [cluster(7, -1), cluster(3, 1)])
        // The new run scales x by center 12, scale 4: the old centres (x = 8 and 12) sit at -1 and 0.
        let now = [ClusterFeatureInfo(name: "x", column: "x", value: nil, scale: "zscore", center: 12, scaleBy: 4)]
        let mapped = try XCTUnwrap(ClusterMatching.previousCenters(previous, features: now))
        XCTAssertEqual(mapped, [[-1], [0]])
        // Three new clusters at 0.1, 2, -0.9: the ones near the old centres keep 3 and 7; the new one takes 8.
        XCTAssertEqual(ClusterMatching.ids(centers: [[0.1], [2], [-0.9]], order: [1, 0, 2], previous: previous, mapped: mapped),
                       [3, 8, 7])
        // Other scalings: nothing to match.
        let other = [ClusterFeatureInfo(name: "x", column: "x", value: nil, scale: "log", center: 0, scaleBy: 1)]
        XCTAssertNil(ClusterMatching.previousCenters(previous, features: other))
    }
}
