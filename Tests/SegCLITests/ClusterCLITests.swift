import Foundation
import XCTest

/// `features.clusters` end to end through `seg run`: the demo's clustering, ids kept across versions when the data
/// changes a little, the model in a plugin's `prepare`, the low-silhouette note, and `--verify` of a version whose
/// ids came from an earlier one.
final class ClusterCLITests: XCTestCase {
    /// Three groups of customers in (spend, visits): A near (100, 2), B near (1000, 20), C near (400, 40); `sizes`
    /// customers each, the first `drop` of A left out. Deterministic spreads, no randomness.
    static func customers(sizes: (Int, Int, Int), dropA: Int = 0, extra: Int = 0) -> String {
        var lines = ["customer_id,spend,visits,plan"]
        var id = 0
        for (g, (count, spend, visits)) in [(sizes.0, 100.0, 2.0), (sizes.1, 1000.0, 20.0), (sizes.2, 400.0, 40.0)].enumerated() {
            for i in 0..<(count + (g == 2 ? extra : 0)) {
                id += 1
                if g == 0 && i < dropA { continue }
                let s = spend * (1 + Double(i % 7 - 3) * 0.05), v = visits + Double(i % 5 - 2)
                lines.append("K\(id),\(s),\(v),\(["basic", "plus"][i % 2])")
            }
        }
        lines.append("K\(id + 1),,3,basic")  // no spend: left unclustered
        return lines.joined(separator: "\n") + "\n"
    }

    static let definition = """
        population: customers
        id: customer_id
        as_of: 2024-12-31
        datasets:
          customers: { file: data/customers.csv }
        features:
          clusters:
            columns: [spend, visits]
            k: 3
            scale: { spend: log, default: zscore }
        criteria:
          - plugin: clusters
            params: { style: number }
        """

    func run(_ ws: TempWorkspace, _ args: [String] = []) throws -> SegProcess.Result {
        let r = try SegProcess.run(["run", ws.root.path] + args)
        XCTAssertEqual(r.status, 0, r.stderr + r.stdout)
        return r
    }

    func json(_ ws: TempWorkspace, _ definition: String) throws -> [String: Any] {
        let dir = ws.root.appendingPathComponent("exports/\(definition)")
        let runs = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        // The newest folder is the one whose profiles.json was written last.
        let newest = try runs.max { a, b in
            let date = { (n: String) in try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent("\(n)/profiles.json").path)[.modificationDate] as! Date }
            return try date(a) < date(b)
        }!
        let data = try Data(contentsOf: dir.appendingPathComponent("\(newest)/profiles.json"))
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// Cluster id → its spend centroid.
    func spendByID(_ report: [String: Any]) throws -> [Int: Double] {
        let clusters = try XCTUnwrap((report["clusters"] as? [String: Any])?["clusters"] as? [[String: Any]])
        return Dictionary(uniqueKeysWithValues: clusters.map { ($0["id"] as! Int, ($0["centroid"] as! [Double])[0]) })
    }

    func testIdsAreKeptWhenTheDataChangesALittle() throws {
        // A is the largest group at first (id 1 by size); after dropping 12 of its customers B is larger, so a fresh
        // numbering would swap their ids. Matching the previous centres keeps them.
        let ws = try TempWorkspace(files: ["data/customers.csv": Self.customers(sizes: (60, 55, 30)),
                                           "segmentations/groups.yaml": Self.definition])
        defer { ws.remove() }
        let first = try run(ws)
        XCTAssertTrue(first.stdout.contains("1 customers have a clustering column missing"), first.stdout)
        // The same inputs again are the same version (the ids matched to v1's are v1's).
        let again = try run(ws).stdout
        XCTAssertTrue(again.hasPrefix("groups  unchanged: same as v1  "), "no new version for the same inputs: \(again)")
        let before = try spendByID(try json(ws, "groups"))
        XCTAssertEqual(before.count, 3)
        XCTAssertEqual(before[1]!, 100, accuracy: 10, "the largest group (A) is cluster 1 on a first run")
        XCTAssertEqual(before[2]!, 1000, accuracy: 60)

        try Self.customers(sizes: (60, 55, 30), dropA: 12, extra: 3)
            .write(to: ws.root.appendingPathComponent("data/customers.csv"), atomically: true, encoding: .utf8)
        XCTAssertTrue(try run(ws).stdout.hasPrefix("groups  v2  "))
        let report = try json(ws, "groups")
        let after = try spendByID(report)
        for (id, spend) in before { XCTAssertEqual(after[id]!, spend, accuracy: spend * 0.05, "cluster \(id) kept its id") }
        XCTAssertEqual((report["clusters"] as? [String: Any])?["keptIDs"] as? Bool, true)
        // The sizes did swap: a fresh numbering would have renamed A and B.
        let sizes = ((report["clusters"] as! [String: Any])["clusters"] as! [[String: Any]]).map { $0["size"] as! Int }
        XCTAssertLessThan(sizes[0], sizes[1])

        // Run again on the changed data: the ids kept are the same, so it is the same version, not a new one.
        let third = try run(ws).stdout
        XCTAssertTrue(third.hasPrefix("groups  unchanged: same as v2  "), "kept ids do not chain new versions: \(third)")
        // The version whose ids came from the first one re-runs to the same bytes.
        let verify = try SegProcess.run(["run", ws.root.path, "--verify", "latest:groups"])
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
    }

    func testPrepareSeesTheModelAndALowSilhouetteIsANote() throws {
        let peek = """
            return {
              api = 1, kind = "criterion", name = "peek", version = "1.0.0", description = "shows the model", uses = { "cluster" },
              params = { k = 0, first = "", size = 0 },
              prepare = function(stats, p)
                local m = stats.cluster.clusters
                return { k = m.k, first = m.clusters[1].label, size = m.clusters[1].size }
              end,
              assign = function(row, p) return "k=" .. p.k .. " " .. p.first .. " " .. p.size end,
            }
            """
        let def = Self.definition.replacingOccurrences(of: "k: 3", with: "k: [2, 4]\n    min_silhouette: 0.99")
            .replacingOccurrences(of: "  - plugin: clusters\n    params: { style: number }", with: "  - plugin: peek")
        let ws = try TempWorkspace(files: ["data/customers.csv": Self.customers(sizes: (40, 40, 40)),
                                           "segmentations/peek.yaml": def, "plugins/peek.lua": peek])
        defer { ws.remove() }
        let r = try run(ws)
        let report = try json(ws, "peek")
        let clusters = try XCTUnwrap(report["clusters"] as? [String: Any])
        XCTAssertEqual(clusters["k"] as? Int, 3, "three groups: silhouette picks k = 3 from 2…4")
        XCTAssertEqual((clusters["candidates"] as? [[String: Any]])?.map { $0["k"] as! Int }, [2, 3, 4])
        let first = try XCTUnwrap((clusters["clusters"] as? [[String: Any]])?.first)
        XCTAssertTrue(r.stdout.contains("k=3 \(first["label"] as! String) \(first["size"] as! Int)"), r.stdout)
        XCTAssertTrue(r.stdout.contains("the clustering's silhouette is"), r.stdout)
        XCTAssertTrue(r.stdout.contains("below 0.99"), r.stdout)
    }

    func testTheDemoClustering() throws {
        let ws = try TempWorkspace.demoCopy()
        defer { ws.remove() }
        let r = try run(ws, ["clusters"])
        let clusters = try XCTUnwrap(try json(ws, "clusters")["clusters"] as? [String: Any])
        let k = try XCTUnwrap(clusters["k"] as? Int)
        XCTAssertTrue((3...6).contains(k))
        let labels = try XCTUnwrap((clusters["clusters"] as? [[String: Any]])?.map { $0["label"] as! String })
        XCTAssertEqual(Set(labels).count, k, "labels are unique")
        for label in labels { XCTAssertTrue(r.stdout.contains(label), "segment \(label) in the summary") }
        XCTAssertFalse(r.stdout.contains("silhouette is"), "the demo's clustering is not flagged")
    }
}

extension ClusterCLITests {
    func testSmallClustersLoseTheirCentroidsUnderMinGroupSize() throws {
        // Groups of 40, 40 and 6: with min_group_size 10 the third cluster's centroid is suppressed.
        let ws = try TempWorkspace(files: ["data/customers.csv": Self.customers(sizes: (40, 40, 6)),
                                           "segmentations/groups.yaml": Self.definition,
                                           "workspace.yaml": "name: t\nplugins: [plugins, \(SegProcess.root.appendingPathComponent("plugins").path)]\nprivacy: { min_group_size: 10 }\n"])
        defer { ws.remove() }
        _ = try run(ws)
        let clusters = try XCTUnwrap((try json(ws, "groups")["clusters"] as? [String: Any])?["clusters"] as? [[String: Any]])
        let small = try XCTUnwrap(clusters.first { ($0["size"] as? Int) == 6 })
        XCTAssertEqual(small["suppressed"] as? Bool, true)
        XCTAssertEqual((small["centroid"] as? [Double])?.count, 0)
        XCTAssertEqual((small["apart"] as? [Any])?.count, 0)
        let large = try XCTUnwrap(clusters.first { ($0["size"] as? Int) == 40 })
        XCTAssertNil(large["suppressed"])
        XCTAssertEqual((large["centroid"] as? [Double])?.count, 2)
    }
}
