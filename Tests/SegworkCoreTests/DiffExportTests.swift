import XCTest
import LuaHost
@testable import SegworkCore
@testable import SegworkData

final class DiffExportTests: XCTestCase {
    private typealias F = DiffFixture

    private func diff(movers: Bool = true) throws -> VersionDiff {
        let to = F.record(2, F.v2CSV, asOf: "2024-04-01",
                          plugins: [PluginInfo(name: "tiers", kind: "criterion", version: "1.0.0",
                                               file: "plugins/criteria/tiers.lua", sha256: F.sha2,
                                               params: ["min": .int(4), "label": .string("gold")])])
        return try DiffEngine.diff(from: F.record(1, F.v1CSV), to: to, includeMovers: movers)
    }

    private func text(_ d: Data) -> String { String(decoding: d, as: UTF8.self) }

    func testJSONRoundTripsWithEveryKey() throws {
        for movers in [true, false] {
            let d = try diff(movers: movers)
            let data = DiffExporter.json(d)
            XCTAssertEqual(try JSONDecoder().decode(VersionDiff.self, from: data), d)
            let s = text(data)
            XCTAssertTrue(s.hasSuffix("}\n"))
            XCTAssertTrue(s.contains("\"formatVersion\" : 1"))
            XCTAssertEqual(s.contains("\"movers\" : null"), !movers, s)
        }
        var empty = try DiffEngine.diff(from: F.record(1, "id,segment\n"), to: F.record(2, "id,segment\n"),
                                        includeMovers: false)
        let s = text(DiffExporter.json(empty))
        XCTAssertTrue(s.contains("\"drift\" : null") && s.contains("\"shareBefore\" : null"), s)
        empty.inputChanges = [InputChange(kind: .dataset, name: "x", field: "added", before: nil, after: "s")]
        XCTAssertTrue(text(DiffExporter.json(empty)).contains("\"param\" : null"))
    }

    func testCSVHasOneRowPerFact() throws {
        let d = try diff()
        let lines = text(DiffExporter.csv(d)).split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines.first, "section,subject,field,from,to,value")
        XCTAssertEqual(lines.last, "")
        let rows = lines.dropFirst().dropLast()
        // 2 diff + 5 version + 5 summary + 11 per segment + every matrix cell + changes + movers.
        XCTAssertEqual(rows.count, 2 + 5 + 5 + 11 * d.segments.count + d.labels.count * d.labels.count
                       + d.inputChanges.count + d.movers!.count)
        XCTAssertEqual(rows.filter { $0.hasPrefix("matrix,") }.count, 36)
        XCTAssertTrue(rows.contains("matrix,,count,A,B,2"))
        XCTAssertTrue(rows.contains("matrix,,count,(absent),D,1"))
        XCTAssertTrue(rows.contains("version,,as_of,2024-03-01,2024-04-01,"))
        XCTAssertTrue(rows.contains("summary,,drift,,,0.333333333333"))
        XCTAssertTrue(rows.contains("segment,A,share_after,,,0.181818181818"))
        XCTAssertTrue(rows.contains("input,tiers,plugin.param.min,3,4,"))
        XCTAssertTrue(rows.contains("input,,run.as_of,2024-03-01,2024-04-01,"))
        XCTAssertTrue(rows.contains("mover,c10,customer,A,(absent),"))
        XCTAssertEqual(rows.filter { $0.hasPrefix("mover,") }.count, 6)
    }

    /// Input rows carry dataset and plugin names from the definition: guarded against formulas like every text
    /// cell (QA: a dataset named `=HYPERLINK(…)` reached diff.csv as a formula).
    func testCSVGuardsInputNames() throws {
        var d = try diff()
        d.inputChanges = [InputChange(kind: .dataset, name: "=HYPERLINK(\"http://evil\";\"x\")", field: "sha256",
                                      before: "aa", after: "bb"),
                          InputChange(kind: .dataset, name: "@cust", field: "added", before: nil, after: "s")]
        let csv = text(DiffExporter.csv(d))
        XCTAssertTrue(csv.contains("input,\"'=HYPERLINK(\"\"http://evil\"\";\"\"x\"\")\",dataset.sha256,aa,bb,"), csv)
        XCTAssertTrue(csv.contains("input,'@cust,dataset.added,,s,"), csv)
    }

    func testCSVQuotesIdsAndLabels() throws {
        let d = try DiffEngine.diff(from: F.record(1, "id,segment\n\"a,\"\"1\",\"x,y\"\n"),
                                    to: F.record(2, "id,segment\n\"a,\"\"1\",z\n"), includeMovers: true)
        let s = text(DiffExporter.csv(d))
        XCTAssertTrue(s.contains("\nmover,\"a,\"\"1\",customer,\"x,y\",z,\n"), s)
        XCTAssertTrue(s.contains("\nmatrix,,count,\"x,y\",z,1\n"), s)
    }

    func testMarkdownShowsChangesSizesAndTheMatrix() throws {
        let md = text(DiffExporter.markdown(try diff()))
        XCTAssertTrue(md.hasPrefix("# Segment diff: tiers, v1 → v2\n"), md)
        XCTAssertTrue(md.contains("| v1 → v2 | A | B | C | D | (unassigned) | (absent) |\n"), md)
        XCTAssertTrue(md.contains("| A | 2 | 2 | 0 | 0 | 0 | 1 |\n"), md)
        XCTAssertTrue(md.contains("| plugin tiers: parameter min | 3 | 4 |\n"), md)
        XCTAssertTrue(md.contains("| reference date | 2024-03-01 | 2024-04-01 |\n"), md)
        XCTAssertTrue(md.contains("| A | 5 | 2 | -3 | 50.0% | 18.2% | -31.8 pp | 2 | 0 | 2 | 0 | 1 |\n"), md)
        XCTAssertTrue(md.contains("| C (gone) | 1 | 0 | -1 |"), md)
        XCTAssertTrue(md.contains("| D (new) | 0 | 1 | +1 |"), md)
        XCTAssertTrue(md.contains("drift: 33.3% of the 9 customers in both versions changed segment"), md)
        XCTAssertTrue(md.contains("## Customers who moved\n\n| customer | v1 | v2 |\n"), md)
        XCTAssertTrue(md.contains("| c10 | A | (absent) |\n"), md)
        XCTAssertFalse(text(DiffExporter.markdown(try diff(movers: false))).contains("Customers who moved"))
    }

    func testMarkdownCapsTheMoversTable() throws {
        let n = DiffExporter.markdownMoverLimit + 5
        let a = "id,segment\n" + (0..<n).map { "c\($0),X\n" }.joined()
        let b = "id,segment\n" + (0..<n).map { "c\($0),Y\n" }.joined()
        let d = try DiffEngine.diff(from: F.record(1, a), to: F.record(2, b), includeMovers: true)
        XCTAssertEqual(d.movers?.count, n)
        let md = text(DiffExporter.markdown(d))
        XCTAssertTrue(md.contains("Showing the first \(DiffExporter.markdownMoverLimit) of \(n)"), md)
        XCTAssertEqual(md.split(separator: "\n").filter { $0.hasSuffix("| X | Y |") }.count,
                       DiffExporter.markdownMoverLimit)
    }

    func testTextSummaryIsCompact() throws {
        let t = DiffExporter.text(try diff())
        let lines = t.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines.first, "diff of tiers: v1 → v2")
        XCTAssertTrue(t.contains("customers: entered 2, left 1, moved 3, stayed 6; drift: 33.3%"), t)
        XCTAssertTrue(t.contains("  plugin tiers: parameter min: 3 → 4\n"), t)
        XCTAssertTrue(t.contains("migration (rows v1, columns v2):\n"), t)
        XCTAssertTrue(lines.contains { $0.hasPrefix("A ") && $0.hasSuffix("2  2  0  0             0         1") }, t)
        XCTAssertTrue(t.contains("6 customers off the diagonal"), t)
        // Summary, sizes, matrix, and at most 10 top flows after a heading.
        XCTAssertLessThan(lines.count, 40)
        XCTAssertTrue(t.contains("\n  A → B: 2\n"), t)
        XCTAssertTrue(DiffExporter.text(try diff(movers: false)).contains("inputs:\n"))
        let same = try DiffEngine.diff(from: F.record(1, F.v1CSV), to: F.record(2, F.v1CSV), includeMovers: false)
        XCTAssertTrue(DiffExporter.text(same).contains("inputs: unchanged\n"))
    }

    func testExportsAreByteStable() throws {
        let a = try diff(), b = try diff()
        XCTAssertEqual(DiffExporter.json(a), DiffExporter.json(b))
        XCTAssertEqual(DiffExporter.csv(a), DiffExporter.csv(b))
        XCTAssertEqual(DiffExporter.markdown(a), DiffExporter.markdown(b))
        XCTAssertEqual(DiffExporter.text(a), DiffExporter.text(b))
        // The same memberships in another row order give the same diff.
        let shuffled = "customer_id,segment,score\n" + F.v2CSV.split(separator: "\n").dropFirst().reversed()
            .map { $0 + "\n" }.joined()
        let c = try DiffEngine.diff(from: F.record(1, F.v1CSV), to: F.record(2, shuffled), includeMovers: true)
        let d = try DiffEngine.diff(from: F.record(1, F.v1CSV), to: F.record(2, F.v2CSV), includeMovers: true)
        XCTAssertEqual(DiffExporter.json(c), DiffExporter.json(d))
    }
}
