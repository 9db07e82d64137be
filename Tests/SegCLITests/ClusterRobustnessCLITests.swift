import Foundation
import XCTest

/// `features.clusters` against a hostile QA pass (docs/CLUSTERING.md): the fit does not depend on the row order
/// of the input, and a low silhouette is a scorecard warning in every profile format.
final class ClusterRobustnessCLITests: XCTestCase {
    /// The newest run's export file `name` of `definition`.
    func export(_ ws: TempWorkspace, _ definition: String, _ name: String) throws -> Data {
        let dir = ws.root.appendingPathComponent("exports/\(definition)")
        let runs = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        XCTAssertEqual(runs.count, 1, "one run in \(dir.path)")
        return try Data(contentsOf: dir.appendingPathComponent("\(runs[0])/\(name)"))
    }

    func testTheDemoClusteringDoesNotDependOnTheRowOrder() throws {
        var results: [(clusters: NSDictionary, membership: [String])] = []
        for shuffled in [false, true] {
            let ws = try TempWorkspace.demoCopy()
            defer { ws.remove() }
            if shuffled {
                // The same customers in another order: a fixed permutation (every 7th row, wrapping), header first.
                let file = ws.root.appendingPathComponent("data/customers.csv")
                let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n").map(String.init)
                let body = Array(lines.dropFirst())
                let order = (0..<body.count).map { ($0 * 7919) % body.count }
                XCTAssertEqual(Set(order).count, body.count, "a permutation")
                XCTAssertNotEqual(order, Array(0..<body.count))
                try ([lines[0]] + order.map { body[$0] }).joined(separator: "\n").appending("\n")
                    .write(to: file, atomically: true, encoding: .utf8)
            }
            let r = try SegProcess.run(["run", ws.root.path, "clusters"])
            XCTAssertEqual(r.status, 0, r.stderr + r.stdout)
            let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: try export(ws, "clusters", "profiles.json")) as? [String: Any])
            let clusters = try XCTUnwrap(json["clusters"] as? NSDictionary)
            let membership = String(decoding: try export(ws, "clusters", "membership.csv"), as: UTF8.self)
                .split(separator: "\n").map(String.init).sorted()
            results.append((clusters, membership))
        }
        XCTAssertEqual(results[0].clusters, results[1].clusters, "same centres, ids, labels, silhouette and inertia")
        XCTAssertEqual(results[0].membership, results[1].membership, "every customer in the same cluster")
        XCTAssertGreaterThan(results[0].membership.count, 2000)
    }

    func testALowSilhouetteIsAScorecardWarningInEveryFormat() throws {
        let def = ClusterCLITests.definition.replacingOccurrences(of: "k: 3", with: "k: 3\n    min_silhouette: 0.99")
        let ws = try TempWorkspace(files: ["data/customers.csv": ClusterCLITests.customers(sizes: (40, 40, 40)),
                                           "segmentations/groups.yaml": def])
        defer { ws.remove() }
        let r = try SegProcess.run(["run", ws.root.path])
        XCTAssertEqual(r.status, 0, r.stderr + r.stdout)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: try export(ws, "groups", "profiles.json")) as? [String: Any])
        let warnings = try XCTUnwrap((json["scorecard"] as? [String: Any])?["warnings"] as? [[String: Any]])
        let low = try XCTUnwrap(warnings.first { $0["kind"] as? String == "low_silhouette" }, "\(warnings)")
        XCTAssertTrue((low["message"] as? String ?? "").contains("below 0.99"), "\(low)")
        XCTAssertTrue(low["segment"] is NSNull)
        let csv = String(decoding: try export(ws, "groups", "profiles.csv"), as: UTF8.self)
        XCTAssertTrue(csv.contains("(scorecard),warning,,low_silhouette"), csv)
        let md = String(decoding: try export(ws, "groups", "profiles.md"), as: UTF8.self)
        XCTAssertTrue(md.contains("- the clustering's silhouette is"), md)
    }
}
