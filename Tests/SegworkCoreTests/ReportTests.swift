import XCTest
import LuaHost
@testable import SegworkCore
@testable import SegworkData

/// report.html and report-data.json on hand-made data (ProfileFixture: 10 customers, Gold 3, Silver 3, Bronze 2,
/// 2 unassigned): the chart data computed by hand, hostile labels kept as text, bounded size with many segments,
/// and the number formats.
final class ReportTests: XCTestCase {
    private func data(_ assignment: SegmentAssignment = ProfileFixture.assignment, minGroupSize: Int? = nil) throws
        -> (ProfileReport, ReportData) {
        let table = try ProfileFixture.table()
        let p = try Profiler.profiles(table: table, assignment: assignment, options: ProfileFixture.options)
        let r = ProfileReport(run: ExportTests.run, profiles: p)
        let d = try ReportDataBuilder.make(table: table, assignment: assignment, report: r, criteria: [], prior: nil,
                                           membership: Data(), minGroupSize: minGroupSize)
        return (r, d)
    }

    func testHistogramsAndMixCountEveryCustomerOnce() throws {
        let (_, d) = try data()
        let age = try XCTUnwrap(d.histograms.first { $0.column == "age" })
        // Ages 20…70 in steps of 5 or 10: integers over more than 30 values → bins of a round step (p1 20.45, p99 69.55).
        XCTAssertEqual(age.edges.first, 20)
        XCTAssertEqual(age.groups.map(\.label), ["(all)", "Gold", "Silver", "Bronze", "(unassigned)"])
        XCTAssertEqual(age.groups[0].counts.reduce(0, +), 10)
        XCTAssertEqual(age.groups.dropFirst().map { $0.counts.reduce(0, +) }, [3, 3, 2, 2])
        XCTAssertEqual(age.edges, stride(from: 20.0, through: 70, by: 5).map { $0 }, "p1 20.45 and p99 69.55 widened to whole steps of 5")
        XCTAssertEqual(age.clipped, 0)
        // One far value beyond the 99th percentile is counted in the last bin, and said so.
        let far = Column(name: "orders", storage: .integer((1...100).map { Int64($0) } + [100_000]))
        let groups = ReportDataBuilder.GroupIndex(assignment: SegmentAssignment(codes: [Int32](repeating: -1, count: 101), labels: []))
        let h = ReportDataBuilder.histogram(far, groups)
        XCTAssertEqual(h.edges, stride(from: 0.0, through: 100, by: 5).map { $0 }, "p1 2 to p99 100 at a step of 5")
        XCTAssertEqual(h.clipped, 1)
        XCTAssertEqual(h.groups[0].counts.last, 7, "95…100 (the last bin holds its upper edge) and the far value")
        let spend = try XCTUnwrap(d.histograms.first { $0.column == "spend" })
        XCTAssertEqual(spend.groups[0].missing, 2)
        XCTAssertEqual(spend.groups.dropFirst().map(\.missing), [0, 1, 0, 1])

        let city = try XCTUnwrap(d.categoricalMix.first)
        // Population: A 4 (both dictionary entries), B 3, C 2, one missing; by count, then byte order.
        XCTAssertEqual(city.values, ["A", "B", "C"])
        XCTAssertEqual(city.groups[0].counts, [4, 3, 2])
        XCTAssertEqual(city.groups[0].missing, 1)
        XCTAssertEqual(city.groups[1].counts, [2, 1, 0], "Gold: A, A, B")
        XCTAssertEqual(city.groups[2].counts, [0, 2, 0], "Silver: B, B and a missing city")
        XCTAssertEqual(city.groups[2].missing, 1)
        XCTAssertNil(d.rfmGrid, "no RFM features")
        XCTAssertNil(d.migration)
        XCTAssertEqual(d.history.count, 1)
        XCTAssertNil(d.history[0].version, "this run has no version id yet")
    }

    func testSmallGroupsAreSuppressed() throws {
        let (_, d) = try data(minGroupSize: 3)
        XCTAssertEqual(d.suppressedBelow, 3)
        let city = try XCTUnwrap(d.categoricalMix.first)
        XCTAssertEqual(city.groups[3].label, "Bronze")
        XCTAssertEqual(city.groups[3].suppressed, true)
        XCTAssertEqual(city.groups[3].counts, [0, 0, 0])
        XCTAssertEqual(city.groups[1].counts, [0, 0, 0], "Gold's A 2 and B 1 are under 3")
        XCTAssertEqual(city.values, ["A", "B", "(other)"], "C, held by 2 customers, is not even named")
        XCTAssertEqual(city.groups[0].counts, [4, 3, 0], "the population's (other), C's 2, is under 3")
    }

    func testSuppressedCriteriaAxesAreInLabelOrder() {
        let a = LabelAssignment(codes: [0, 0, 0, 0, 1, 1, -1], labels: ["Young", "Old"])
        let b = LabelAssignment(codes: [0, 0, 0, 1, 1, 1, 1], labels: ["Low", "High"])
        var d = ReportData()
        d.criteria = ReportDataBuilder.criteriaMatrix(("age", a), ("spend", b))
        XCTAssertEqual(d.criteria?.rows, ["Young", "Old", "(unassigned)"], "by customers before suppression")
        ReportDataBuilder.suppress(&d, below: 3)
        XCTAssertEqual(d.criteria?.rows, ["Old", "Young", "(unassigned)"], "by label: the order tells nothing of the hidden counts")
        XCTAssertEqual(d.criteria?.columns, ["High", "Low"])
        XCTAssertEqual(d.criteria?.counts, [[0, 0], [0, 3], [0, 0]], "Old × High 2, Young × High 1 and the unassigned 1 are under 3")
    }

    func testCriteriaMatrixAndMigration() throws {
        let a = LabelAssignment(codes: [0, 0, 1, 1, -1], labels: ["Young", "Old"])
        let b = LabelAssignment(codes: [0, 1, 1, 1, 1], labels: ["Low", "High"])
        let m = ReportDataBuilder.criteriaMatrix(("age", a), ("spend", b))
        XCTAssertEqual(m.rows, ["Old", "Young", "(unassigned)"], "by customers, ties in byte order, then the unassigned")
        XCTAssertEqual(m.columns, ["High", "Low"])
        XCTAssertEqual(m.counts, [[2, 0], [1, 1], [1, 0]])

        let before = Data("id,segment\na,Gold\nb,Gold\nc,Silver\nd,Silver\n".utf8)
        let after = Data("id,segment\na,Gold\nb,Silver\nc,Silver\ne,Gold\n".utf8)
        let g = try ReportDataBuilder.migration(from: PreviousRun(version: "v1", runID: "r1"), before, to: after, definition: "d")
        XCTAssertEqual(g.moved, 1); XCTAssertEqual(g.stayed, 2); XCTAssertEqual(g.entered, 1); XCTAssertEqual(g.left, 1)
        XCTAssertEqual(g.flows.map { "\($0.from)→\($0.to) \($0.count)" }, ["Gold→Silver 1", "Silver→(absent) 1", "(absent)→Gold 1"],
                       "equal counts in axis order: rows, then columns")
    }

    func testHostileLabelsStayText() throws {
        let labels = ["<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "a'b&c\u{1B}[31m"]
        let assignment = SegmentAssignment(codes: [0, 0, 0, 1, 1, 1, 2, 2, -1, -1], labels: labels)
        let (r, d) = try data(assignment)
        let html = String(decoding: HTMLReport.page(r, data: d), as: UTF8.self)
        XCTAssertFalse(html.contains("<script"), "no script element at all")
        XCTAssertFalse(html.contains("<img"))
        XCTAssertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        XCTAssertTrue(html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"))
        XCTAssertTrue(html.contains("a&#39;b&amp;c\\u{1B}[31m"), "control characters visible, never raw")
        XCTAssertFalse(html.contains("\u{1B}"))
        XCTAssertTrue(html.contains("content=\"default-src 'none'; style-src 'unsafe-inline'\""), "nothing may load")
    }

    func testManySegmentsKeepTheReportBounded() throws {
        // 300 customers in 150 segments of 2, a second criterion's 150 labels, a migration over 152 labels.
        let n = 300
        let labels = (0..<150).map { "segment \($0)" }
        let assignment = SegmentAssignment(codes: (0..<n).map { Int32($0 % 150) }, labels: labels)
        let table = try Table(columns: [
            Column(name: "id", storage: .string(codes: (0..<n).map { Int32($0) }, dictionary: (0..<n).map { "c\($0)" })),
            Column(name: "x", storage: .double((0..<n).map { Double($0) })),
        ])
        let p = try Profiler.profiles(table: table, assignment: assignment, options: ProfileOptions(numeric: ["x"]))
        let r = ProfileReport(run: ExportTests.run, profiles: p)
        let crit = LabelAssignment(codes: assignment.codes, labels: labels)
        let before = Data(("id,segment\n" + (0..<n).map { "c\($0),segment \(($0 + 1) % 150)" }.joined(separator: "\n") + "\n").utf8)
        let after = Data(("id,segment\n" + (0..<n).map { "c\($0),segment \($0 % 150)" }.joined(separator: "\n") + "\n").utf8)
        var d = try ReportDataBuilder.make(table: table, assignment: assignment, report: r,
                                           criteria: [("a", crit), ("b", crit)], prior: nil, membership: after)
        d.migration = try ReportDataBuilder.migration(from: PreviousRun(version: "v1", runID: "r"), before, to: after, definition: "d")
        let html = String(decoding: HTMLReport.page(r, data: d), as: UTF8.self)
        func marks(_ id: String) -> Int? {
            guard let range = html.range(of: "data-chart=\"\(id)\" data-marks=\"") else { return nil }
            return Int(html[range.upperBound...].prefix { $0.isNumber })
        }
        XCTAssertEqual(marks("sizes"), HTMLReport.chartSegments)
        XCTAssertEqual(marks("drivers"), HTMLReport.chartSegments)
        XCTAssertLessThanOrEqual(try XCTUnwrap(marks("criteria")), HTMLReport.heatmapLabels * HTMLReport.heatmapLabels)
        XCTAssertLessThanOrEqual(try XCTUnwrap(marks("migration")), HTMLReport.heatmapLabels * HTMLReport.heatmapLabels)
        XCTAssertTrue(html.contains("(123 more)"), "the criteria's 150 labels fold into 29 and (121 more)… \(html.count)")
        XCTAssertTrue(html.contains("The chart shows the 40 largest of 150 segments"))
        XCTAssertLessThan(html.utf8.count, 1_500_000, "bounded by the limits, not by the segments squared")
    }

    func testEditedReportDataIsDamageNotACrash() throws {
        let (r, d) = try data()
        var edits: [(String, (inout ReportData) -> Void)] = [
            ("histogram", { $0.histograms[0].groups[0].counts = [1] }),
            ("histogram", { $0.histograms[0].groups = [] }),
            ("mix", { $0.categoricalMix[0].groups[1].counts.append(3) }),
            ("negative", { $0.histograms[1].groups[2].counts[0] = -4 }),
        ]
        edits.append(("migration", { $0.migration = ReportData.Migration(previous: PreviousRun(version: "v1", runID: "r"), labels: ["a"],
                                                                          cells: [[0, 3, 1]], moved: 0, stayed: 0, entered: 0, left: 0, flows: []) }))
        for (what, edit) in edits {
            var bad = d
            edit(&bad)
            XCTAssertNotNil(bad.inconsistency, what)
            XCTAssertThrowsError(try Exporter.files(r, formats: [.html], stored: ["report-data.json": bad.json]), what) { error in
                guard case StoreError.corrupted(_, let detail) = error else { return XCTFail("\(what): \(error)") }
                XCTAssertTrue(detail.contains("report-data.json was edited"), detail)
            }
        }
        XCTAssertNil(d.inconsistency)
        XCTAssertNoThrow(try Exporter.files(r, formats: [.html], stored: ["report-data.json": d.json]))
    }

    func testNumberFormats() {
        XCTAssertEqual(ReportText.count(103_325_495), "103,325,495")
        XCTAssertEqual(ReportText.count(-1234), "-1,234")
        XCTAssertEqual(ReportText.count(999), "999")
        XCTAssertEqual(ReportText.money(103325495.52), "103,325,495.52")
        XCTAssertEqual(ReportText.money(-0.001), "0.00", "never -0.00")
        XCTAssertEqual(ReportText.money(nil), "-")
        XCTAssertEqual(ReportText.percent(0.222222), "22.2%")
        XCTAssertEqual(ReportText.number(1234.5678), "1,234.57", "profiles.md's format for statistics")
        XCTAssertEqual(ReportText.fixed(-1234.4, 0), "-1,234")
        XCTAssertEqual(ReportText.number(19_000, date: true), "2022-01-08")
        XCTAssertEqual(ReportDataBuilder.niceStep(0.37), 0.5)
        XCTAssertEqual(ReportDataBuilder.niceStep(7), 10)
        XCTAssertEqual(ReportDataBuilder.histogramEdges(sorted: [1, 2, 3], integral: true), [1, 2, 3, 4])
        XCTAssertEqual(ReportDataBuilder.histogramEdges(sorted: [], integral: false), [])
    }
}

/// The terminal tables `seg run`, `seg versions` and `seg show` print line up by display columns.
final class TextTableTests: XCTestCase {
    func testWideCharactersLineUp() {
        let text = TextTable.render([["segment", "customers"], ["漢字ab", "12"], ["Loyal", "345"]])
        let lines = text.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines, ["segment  customers", "漢字ab          12", "Loyal          345"])
        XCTAssertEqual(Set(lines.map(TerminalColumns.width)).count, 1, "every line ends at the same column")
    }
}
