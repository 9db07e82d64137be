import Foundation
import XCTest
@testable import SegworkCore
@testable import SegworkData

/// `features.clusters` after a hostile QA pass (docs/CLUSTERING.md): row order, retired ids, k above the number of
/// distinct points, values too large to square, and the errors for empty or text columns.
final class ClusterRobustnessTests: XCTestCase {
    func definition(_ clusters: String) throws -> Definition {
        let body = clusters.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n")
        return try Definition.parse(text: ClusterFeatureTests.base.replacingOccurrences(of: "CLUSTERS", with: body), file: "d.yaml", defaultName: "d")
    }

    /// A customer table: ids `ids` and double columns.
    func table(_ ids: [String], _ columns: [String: [Double]]) throws -> Table {
        try Table(columns: [Column(name: "customer_id", storage: .string(codes: ids.indices.map { Int32($0) }, dictionary: ids))]
                  + columns.keys.sorted().map { Column(name: $0, storage: .double(columns[$0]!)) })
    }

    /// Each customer's cluster id, by customer id.
    func membership(_ out: ClusterFeature.Outcome, _ ids: [String]) -> [String: Int64] {
        guard case .integer(let v) = out.columns[0].storage else { return [:] }
        return Dictionary(uniqueKeysWithValues: zip(ids, v))
    }

    func testTheFitDoesNotDependOnTheRowOrder() throws {
        // 400 customers spread evenly over a square: no clear clusters, so k-means++ seeded by row position ends in
        // another local optimum for another order. Ids are zero-padded so that byte order is not the file order.
        var rng = SplitMix64(seed: 5)
        let n = 400
        let ids = (0..<n).map { String(format: "C%04d", ($0 * 37) % n) }
        let x = (0..<n).map { _ in rng.unit() * 10 }, y = (0..<n).map { _ in rng.unit() * 10 }
        let def = try definition("columns: [x, y]\nk: [3, 6]\nsample: 100")
        let first = try ClusterFeature.compute(try table(ids, ["x": x, "y": y]), def.clusters!, def, previous: nil)
        for shift in [1, 157, 399] {
            let order = (0..<n).map { ($0 * 7 + shift) % n }.reversed()
            let again = try ClusterFeature.compute(try table(order.map { ids[$0] }, ["x": order.map { x[$0] }, "y": order.map { y[$0] }]),
                                                   def.clusters!, def, previous: nil)
            XCTAssertEqual(again.report, first.report, "same k, centres, ids, labels, silhouette and inertia (order \(shift))")
            XCTAssertEqual(membership(again, order.map { ids[$0] }), membership(first, ids), "every customer in the same cluster")
        }
    }

    func testAClusterThatDisappearedDoesNotHandItsIdToAnother() throws {
        // v1: groups at 0 (30 customers), 10 (20) and 20 (10): ids 1, 2, 3 by size. v2: the group at 0 is gone and
        // the one at 20 split into 19 and 21. The cluster at 19 is nearest the old 20, not the old 0: it must not
        // take id 1 (which a total matching gives it); it gets 4, the next id never used.
        func group(_ centre: Double, _ count: Int) -> [Double] { (0..<count).map { centre + Double($0 % 5 - 2) * 0.05 } }
        let v1 = group(0, 30) + group(10, 20) + group(20, 10)
        let def = try definition("columns: [x]\nk: 3\nscale: none")
        let first = try ClusterFeature.compute(try table(v1.indices.map { "A\($0)" }, ["x": v1]), def.clusters!, def, previous: nil)
        XCTAssertEqual(first.report.clusters.map(\.id), [1, 2, 3])
        XCTAssertEqual(first.report.clusters.map { $0.centroid[0].rounded() }, [0, 10, 20])
        let v2 = group(10, 20) + group(19, 15) + group(21, 15)
        let second = try ClusterFeature.compute(try table(v2.indices.map { "B\($0)" }, ["x": v2]), def.clusters!, def, previous: first.report)
        let byID = Dictionary(uniqueKeysWithValues: second.report.clusters.map { ($0.id, $0.centroid[0].rounded()) })
        XCTAssertEqual(byID, [2: 10, 3: 21, 4: 19], "1 retired, 2 and 3 kept, the new cluster takes 4")
        XCTAssertEqual(second.report.highestID, nil, "4 is the highest id and is in use")
        XCTAssertTrue(second.notes.contains { $0.contains("cluster 1 ('") && $0.contains("its id is retired, not reused") }, "\(second.notes)")
        XCTAssertTrue(second.notes.contains { $0.contains("cluster 4 ('") && $0.contains("is new in this version") }, "\(second.notes)")

        // v3: the cluster with the highest id (4, at 19) disappears; a new one later must not take 4 again.
        let v3 = group(10, 20) + group(21, 15)
        let def2 = try definition("columns: [x]\nk: 2\nscale: none")
        let third = try ClusterFeature.compute(try table(v3.indices.map { "C\($0)" }, ["x": v3]), def2.clusters!, def2, previous: second.report)
        XCTAssertEqual(third.report.clusters.map(\.id), [2, 3])
        XCTAssertEqual(third.report.highestID, 4, "id 4 was used and is remembered")
        let v4 = group(10, 20) + group(21, 15) + group(40, 12)
        let fourth = try ClusterFeature.compute(try table(v4.indices.map { "D\($0)" }, ["x": v4]), def.clusters!, def, previous: third.report)
        let ids4 = Dictionary(uniqueKeysWithValues: fourth.report.clusters.map { ($0.id, $0.centroid[0].rounded()) })
        XCTAssertEqual(ids4, [2: 10, 3: 21, 5: 40], "the new cluster takes 5, never the retired 1 or 4")
    }

    func testKAboveTheDistinctPointsIsLowered() throws {
        // Five customers at two points: k 4 cannot make four clusters.
        let t = try table(["a", "b", "c", "d", "e"], ["x": [1, 1, 1, 5, 5], "y": [2, 2, 2, 1, 1]])
        let def = try definition("columns: [x, y]\nk: 4")
        let out = try ClusterFeature.compute(t, def.clusters!, def, previous: nil)
        XCTAssertEqual(out.report.k, 2)
        XCTAssertEqual(out.report.clusters.map(\.size), [3, 2], "no empty cluster")
        XCTAssertEqual(out.report.clusters.map(\.centroid), [[1, 2], [5, 1]])
        XCTAssertEqual(out.report.clusters.map(\.label).filter { $0.contains("(cluster") }, [], "no clash suffix")
        XCTAssertTrue(out.notes.contains { $0.contains("only 2 distinct points, so k = 4 cannot give that many clusters; k = 2 is used") }, "\(out.notes)")
        // A range skips the impossible k.
        let range = try definition("columns: [x, y]\nk: [2, 10]")
        let r = try ClusterFeature.compute(t, range.clusters!, range, previous: nil)
        XCTAssertEqual(r.report.candidates.map(\.k), [2])
        // Identical customers: one cluster.
        let two = try definition("columns: [x, y]\nk: 2")
        let same = try ClusterFeature.compute(try table(["a", "b"], ["x": [3, 3], "y": [1, 1]]), two.clusters!, two, previous: nil)
        XCTAssertEqual(same.report.k, 1)
        XCTAssertEqual(same.report.clusters.map(\.label), ["typical"])
    }

    func testHugeValuesAreScaledWithoutOverflow() throws {
        let t = try table(["a", "b", "c", "d", "e"], ["x": [1, 2, 1e300, 3, 4], "y": [2, 3, 1, 3, 4]])
        let def = try definition("columns: [x, y]\nk: 2")
        let m = try ClusterMatrix.build(t, def.clusters!, def)
        XCTAssertTrue(m.features.allSatisfy { $0.center.isFinite && $0.scaleBy.isFinite }, "\(m.features)")
        XCTAssertEqual(m.features[0].scaleBy, 4e299, accuracy: 1e286)
        XCTAssertEqual(m.values[2 * 2], 2, accuracy: 1e-12, "the 1e300 customer sits 2 sd out on x")
        let out = try ClusterFeature.compute(t, def.clusters!, def, previous: nil)
        XCTAssertEqual(out.report.clusters.map(\.size).sorted(), [1, 4], "the 1e300 customer is set apart")
        XCTAssertTrue(out.report.clusters.allSatisfy { $0.centroid.allSatisfy(\.isFinite) })
        // ±1e308: the sum overflows, the centroid does not.
        let wide = try table(["a", "b", "c", "d"], ["x": [1e308, 1e308, -1e308, 0], "y": [1, 1, 2, 2]])
        let w = try ClusterFeature.compute(wide, def.clusters!, def, previous: nil)
        XCTAssertTrue(w.report.features.allSatisfy { $0.center.isFinite && $0.scaleBy.isFinite })
        XCTAssertTrue(w.report.clusters.allSatisfy { $0.centroid.allSatisfy(\.isFinite) }, "\(w.report.clusters)")
        // minmax over a range that overflows, and none on values too large to square: an error naming the column.
        for (scale, values) in [("minmax", [1e308, -1e308, 0, 1]), ("none", [1e200, 1, 2, 3])] {
            let d = try definition("columns: [x]\nk: 2\nscale: \(scale)")
            XCTAssertThrowsError(try ClusterMatrix.build(try table(["a", "b", "c", "d"], ["x": values]), d.clusters!, d)) { e in
                XCTAssertTrue("\(e)".contains("d.yaml:"), "\(e)")
                XCTAssertTrue("\(e)".contains("'x' cannot be scaled by \(scale): customer"), "\(e)")
            }
        }
    }

    func testEmptyAndTextColumnsGetErrorsThatSayWhatIsWrong() throws {
        let ids = ["a", "b", "c", "d", "e"]
        let empty = try Table(columns: [
            Column(name: "customer_id", storage: .string(codes: [0, 1, 2, 3, 4], dictionary: ids)),
            Column(name: "x", storage: .double([1, 2, 3, 4, 5])),
            Column(name: "gone", storage: .string(codes: [0, 0, 0, 0, 0], dictionary: [""]), validity: Bitmap([false, false, false, false, false])),
            Column(name: "money", storage: .string(codes: [0, 1, 2, 3, 4], dictionary: ["10", "20", "NaN", "30", "inf"])),
            Column(name: "plan", storage: .string(codes: [0, 1, 0, 1, 0], dictionary: ["basic", "plus"])),
        ])
        for role in ["columns", "categorical"] {
            let d = try definition(role == "columns" ? "columns: [x, gone]\nk: 2" : "columns: [x]\ncategorical: [gone]\nk: 2")
            XCTAssertThrowsError(try ClusterMatrix.build(empty, d.clusters!, d)) { e in
                XCTAssertTrue("\(e)".contains("features.clusters.\(role) names 'gone', which is empty for every customer"), "\(e)")
                XCTAssertFalse("\(e)".contains("string column"), "\(e)")
            }
        }
        let d = try definition("columns: [x, money]\nk: 2")
        // The reader's note locates the value that made the column text.
        let note = "c.csv, line 4, column 'money': the column is read as text because of 'NaN' (record 3); the 2 values before it were all numbers. Fix the value, or declare the column's type in the schema so that every such value is an error naming its line"
        XCTAssertThrowsError(try ClusterMatrix.build(empty, d.clusters!, d, notes: [note])) { e in
            let text = "\(e)"
            XCTAssertTrue(text.hasPrefix("d.yaml:"), text)
            XCTAssertTrue(text.contains("'money', a numeric column read as text because of one value: c.csv, line 4 has 'NaN'"), text)
            XCTAssertTrue(text.contains("schema: { money: double }"), text)
            XCTAssertFalse(text.contains("categorical"), text)
        }
        // Without the note: the customer and the value.
        XCTAssertThrowsError(try ClusterMatrix.build(empty, d.clusters!, d)) { e in
            XCTAssertTrue("\(e)".contains("customer c has 'NaN'"), "\(e)")
        }
        // A real text column keeps the categorical advice.
        let p = try definition("columns: [x, plan]\nk: 2")
        XCTAssertThrowsError(try ClusterMatrix.build(empty, p.clusters!, p)) { e in
            XCTAssertTrue("\(e)".contains("names 'plan', a string column; list it under features.clusters.categorical instead"), "\(e)")
        }
    }
}
