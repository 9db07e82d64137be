import Foundation
import XCTest

/// Issue 12 §4: every file a run exports can be rebuilt from the store, byte for byte, after `exports/` is deleted
/// (`seg export`, `seg report`), and the report's data follows the version chain.
final class ReportRebuildCLITests: XCTestCase {
    private let customers = """
    customer_id,country,age,spend
    C1, germany ,30,120.5
    C2,DEUTSCHLAND,,80
    C1,Germany,31,99.25
    C3,france,150,10
    C4,  united   kingdom ,45,300
    C5,Mars,20,5
    C6,france,52,41
    C7,germany,67,7.5
    C8,united kingdom,23,
    C9,France,38,64

    """
    private let ageBand = """
    return { api = 1, kind = "criterion", name = "age_band", version = "1", description = "d", uses = {"age"},
      assign = function(row, p) if row.age == nil then return nil end; if row.age < 40 then return "Young" end; return "Older" end }
    """
    private let spender = """
    return { api = 1, kind = "criterion", name = "spender", version = "1", description = "d", uses = {"spend"},
      params = { cut = 50 },
      assign = function(row, p) if row.spend == nil then return "Unknown" end; if row.spend >= p.cut then return "High" end; return "Low" end }
    """
    private let definition = """
    population: customers
    id: customer_id
    as_of: 2024-12-31
    datasets:
      customers:
        file: data/customers.csv
        clean:
          - dedupe: { key: [customer_id], keep: last }
          - standardise: { column: country, trim: true, case: upper, collapse_whitespace: true, map: { "GERMANY": DE, "DEUTSCHLAND": DE } }
          - validate: { column: age, range: [0, 120] }
          - validate: { column: country, allowed: [DE, FRANCE, UNITED KINGDOM] }
    criteria:
      - plugin: age_band
      - plugin: spender
    combine: cross
    profile: { numeric: [age, spend], categorical: [country], monetary: spend }
    """

    private func workspace() throws -> TempWorkspace {
        try TempWorkspace(files: ["data/customers.csv": customers, "plugins/age_band.lua": ageBand,
                                  "plugins/spender.lua": spender, "segmentations/d.yaml": definition])
    }

    /// Every file under exports/ except diffs (each version here is run once, so its notes.txt is its own).
    private func files(_ ws: TempWorkspace) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for path in ws.exportedFiles() where !path.contains("/diffs/") {
            out[path] = try Data(contentsOf: ws.root.appendingPathComponent("exports/" + path))
        }
        return out
    }

    func testEveryExportIsRebuiltByteForByteAfterExportsAreDeleted() throws {
        let ws = try workspace()
        defer { ws.remove() }
        for asOf in ["2024-06-30", "2024-12-31"] {
            let r = try SegProcess.run(["run", ws.root.path, "--as-of", asOf])
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        // The spend cut moves customers between the versions' segments: a third version with a migration.
        let changed = definition.replacingOccurrences(of: "- plugin: spender", with: "- plugin: spender\n    params: { cut: 100 }")
        try changed.write(to: ws.root.appendingPathComponent("segmentations/d.yaml"), atomically: true, encoding: .utf8)
        XCTAssertEqual(try SegProcess.run(["run", ws.root.path]).status, 0)

        // --verify re-executes v3 and compares the files kept with it too.
        let verify = try SegProcess.run(["run", ws.root.path, "--verify", "v3"])
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)

        let original = try files(ws)
        let names = Set(original.keys.map { URL(fileURLWithPath: $0).lastPathComponent })
        XCTAssertEqual(names, ["cleaning.json", "membership.csv", "notes.txt", "profiles.csv", "profiles.json", "profiles.md",
                               "rejects.csv", "report-data.json", "report.html"], "a run with cleaning writes every kind of export")
        XCTAssertEqual(original.count, 3 * names.count, "three versions, each in its own folder")

        try FileManager.default.removeItem(at: ws.root.appendingPathComponent("exports"))
        for v in ["v1", "v2", "v3"] {
            let r = try SegProcess.run(["export", ws.root.path, v])
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        let rebuilt = try files(ws)
        XCTAssertEqual(rebuilt.keys.sorted(), original.keys.sorted())
        for (path, bytes) in original { XCTAssertEqual(rebuilt[path], bytes, "\(path) rebuilt by seg export") }

        // seg report writes the report alone (no customer ids), with the run's bytes.
        try FileManager.default.removeItem(at: ws.root.appendingPathComponent("exports"))
        let r = try SegProcess.run(["report", ws.root.path, "v3"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let report = try files(ws)
        XCTAssertEqual(Set(report.keys.map { URL(fileURLWithPath: $0).lastPathComponent }), ["report.html", "report-data.json"])
        for (path, bytes) in report { XCTAssertEqual(bytes, original[path], "\(path) rebuilt by seg report") }

        // --out gives the same bytes in another folder.
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("segout-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        XCTAssertEqual(try SegProcess.run(["export", ws.root.path, "v3", "--out", out.path]).status, 0)
        let v3 = try XCTUnwrap(original.keys.first { $0.hasSuffix("report.html") && report[$0] != nil })
        let folder = String(v3.dropLast("/report.html".count))
        for name in names {
            XCTAssertEqual(try Data(contentsOf: out.appendingPathComponent(name)), original["\(folder)/\(name)"], name)
        }
    }

    func testReportDataFollowsTheVersionChain() throws {
        let ws = try workspace()
        defer { ws.remove() }
        XCTAssertEqual(try SegProcess.run(["run", ws.root.path, "--as-of", "2024-06-30"]).status, 0)
        let changed = definition.replacingOccurrences(of: "- plugin: spender", with: "- plugin: spender\n    params: { cut: 100 }")
        try changed.write(to: ws.root.appendingPathComponent("segmentations/d.yaml"), atomically: true, encoding: .utf8)
        XCTAssertEqual(try SegProcess.run(["run", ws.root.path]).status, 0)
        let path = try XCTUnwrap(try files(ws).keys.sorted().filter { $0.hasSuffix("report-data.json") }.first { p in
            let text = String(decoding: try Data(contentsOf: ws.root.appendingPathComponent("exports/" + p)), as: UTF8.self)
            return text.contains("\"previous\"")
        })
        let data = try JSONSerialization.jsonObject(with: Data(contentsOf: ws.root.appendingPathComponent("exports/" + path))) as! [String: Any]
        let history = try XCTUnwrap(data["history"] as? [[String: Any]])
        XCTAssertEqual(history.map { $0["version"] as? String }, ["v1", nil], "the previous version, then this run")
        let migration = try XCTUnwrap(data["migration"] as? [String: Any])
        XCTAssertEqual((migration["previous"] as? [String: Any])?["version"] as? String, "v1")
        // 7 customers survive cleaning (dedupe removes C1's first row, validation C3 and C5): every one is counted once.
        let cells = try XCTUnwrap(migration["cells"] as? [[Int]])
        XCTAssertEqual(cells.map { $0[2] }.reduce(0, +), 7)
        // C1 (spend 99.25) and C9 (64), both under 40, were High at a cut of 50 and are Low at 100; nobody else moved.
        let flows = try XCTUnwrap(migration["flows"] as? [[String: Any]])
        XCTAssertEqual(flows.map { "\($0["from"]!) → \($0["to"]!): \($0["count"]!)" }, ["Young × High → Young × Low: 2"])
        XCTAssertEqual(migration["moved"] as? Int, 2)
        let criteria = try XCTUnwrap(data["criteria"] as? [String: Any])
        XCTAssertEqual(criteria["criteria"] as? [String], ["age_band", "spender"])
        XCTAssertEqual((criteria["counts"] as? [[Int]])?.flatMap { $0 }.reduce(0, +), 7)
        let histograms = try XCTUnwrap(data["histograms"] as? [[String: Any]])
        XCTAssertEqual(histograms.map { $0["column"] as? String }, ["age", "spend"])
        for h in histograms {
            let groups = try XCTUnwrap(h["groups"] as? [[String: Any]])
            let population = groups[0]
            XCTAssertEqual(population["label"] as? String, "(all)")
            let total = (population["counts"] as! [Int]).reduce(0, +) + (population["missing"] as! Int)
            XCTAssertEqual(total, 7, "every customer is in a bin or missing: \(h["column"]!)")
            let segments = groups.dropFirst().map { ($0["counts"] as! [Int]).reduce(0, +) + ($0["missing"] as! Int) }
            XCTAssertEqual(segments.reduce(0, +), 7, "the segments (and unassigned) split the population")
        }
    }

    func testBadVersionsAndFormatsAreRefusedClearly() throws {
        let ws = try workspace()
        defer { ws.remove() }
        XCTAssertEqual(try SegProcess.run(["run", ws.root.path, "--quiet"]).status, 0)
        let unknown = try SegProcess.run(["report", ws.root.path, "v9"])
        XCTAssertNotEqual(unknown.status, 0)
        XCTAssertTrue(unknown.stderr.contains("unknown version 'v9'") && unknown.stderr.contains("v1"), unknown.stderr)
        let foo = try SegProcess.run(["export", ws.root.path, "v1", "--format", "html,foo"])
        XCTAssertEqual(foo.status, 2, foo.stderr)
        XCTAssertTrue(foo.stderr.contains("--format 'foo' is not a format; use json, csv, md or html"), foo.stderr)
        let empty = try SegProcess.run(["export", ws.root.path, "v1", "--format", ""])
        XCTAssertEqual(empty.status, 2, empty.stderr)
        XCTAssertTrue(empty.stderr.contains("--format needs a format: json, csv, md or html"), empty.stderr)
        let run = try SegProcess.run(["run", ws.root.path, "--format", "html,foo"])
        XCTAssertTrue(run.stderr.contains("use json, csv, md or html"), run.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: ws.root.appendingPathComponent("exports/d/none").path))
    }
}
