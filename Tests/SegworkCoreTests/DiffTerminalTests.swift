import XCTest
@testable import SegworkCore

/// `seg diff` on the terminal (issue 12): a 26-segment cross definition (13 value tiers × Active/Lapsed) printed a
/// 27 × 27 matrix about 700 characters wide. The summary now fits the width it is given, says what it left out,
/// and lists the largest flows; the files keep the full matrix.
final class DiffTerminalTests: XCTestCase {
    static let tiers = ["Champions", "Loyal", "Potential Loyalists", "New Customers", "Promising", "Need Attention",
                        "About To Sleep", "At Risk", "Cannot Lose Them", "Hibernating", "Lost", "Price Sensitive",
                        "Big Spenders"]
    static let labels = tiers.flatMap { t in ["Active", "Lapsed"].map { "\(t) × \($0)" } }

    /// The flows of the second version, in the order `topFlows` must give them (the last two are past the top 10).
    static let moves: [(from: String, to: String, count: Int)] = [
        ("Loyal × Active", "At Risk × Active", 12),
        ("Champions × Active", "Loyal × Active", 9),
        ("(absent)", "New Customers × Active", 7),
        ("Big Spenders × Active", "At Risk × Lapsed", 5),
        ("Big Spenders × Active", "Champions × Active", 5),
        ("Promising × Lapsed", "Lost × Lapsed", 5),
        ("Lost × Lapsed", "(absent)", 4),
        ("Hibernating × Lapsed", "(unassigned)", 3),
        ("About To Sleep × Active", "Hibernating × Active", 2),
        ("Need Attention × Active", "About To Sleep × Active", 2),
        ("Cannot Lose Them × Active", "At Risk × Active", 1),
        ("Price Sensitive × Lapsed", "Lost × Lapsed", 1),
    ]

    /// Segment i has 20 + i customers in the first version; the second applies `moves` (listed in shuffled order,
    /// so the order of the flows comes from `topFlows`, not from the data).
    static func diff() throws -> VersionDiff {
        var first: [(id: String, label: String)] = []
        for (i, label) in labels.enumerated() { for k in 0..<(20 + i) { first.append(("c\(i)-\(k)", label)) } }
        var second = first.map { (id: $0.id, label: Optional($0.label)) }
        for m in moves.reversed() {
            if m.from == "(absent)" {
                for k in 0..<m.count { second.append(("new-\(k)", m.to)) }
                continue
            }
            // Customers of `from` in the first version not moved yet (never one who moved in).
            let rows = first.indices.filter { second[$0].label == m.from && first[$0].label == m.from }
            for r in rows.prefix(m.count) { second[r].label = m.to == "(absent)" ? nil : m.to == "(unassigned)" ? "" : m.to }
        }
        let a = "customer_id,segment\n" + first.map { "\($0.id),\($0.label)\n" }.joined()
        let b = "customer_id,segment\n" + second.compactMap { r in r.label.map { "\(r.id),\($0)\n" } }.joined()
        return try DiffEngine.diff(from: DiffFixture.record(1, a), to: DiffFixture.record(2, b), includeMovers: false)
    }

    func testEveryLineFitsTheWidthAndDroppedColumnsAreSaid() throws {
        let d = try Self.diff()
        XCTAssertEqual(d.labels.count, 28, "26 segments, (unassigned) and (absent)")
        for width in [80, 120] {
            let text = DiffExporter.text(d, width: width)
            let lines = text.split(separator: "\n").map(String.init)
            for line in lines {
                // Both measures: the display width and a plain scalar count (every character here is one column).
                XCTAssertLessThanOrEqual(TerminalColumns.width(line), width, "\(width): \(line)")
                XCTAssertLessThanOrEqual(line.unicodeScalars.count, width, "\(width): \(line)")
            }
            let start = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("migration (rows v1, columns v2)") })
            let header = lines[start + 1]
            XCTAssertTrue(header.hasSuffix("…"), "\(width): the last shown column is '…': \(header)")
            let shownColumns = header.split(separator: " ").count
            // Header cells are labels cut to 12 columns, so count them from the row of the biggest segment instead.
            let firstRow = lines[start + 2]
            XCTAssertTrue(firstRow.hasPrefix("Big Spenders × Lapsed"), firstRow)
            XCTAssertTrue(firstRow.hasSuffix("…"), firstRow)
            let cells = firstRow.dropFirst("Big Spenders × Lapsed".count).split(separator: " ")
            XCTAssertGreaterThan(cells.count, 2, "\(width): some columns are shown")
            let hidden = 28 - (cells.count - 1)
            XCTAssertTrue(text.contains("… \(hidden) of the 28 columns"), "\(width):\n\(text)")
            // The note wraps: read it with its continuation lines joined.
            let flat = text.replacingOccurrences(of: "\n    ", with: " ")
            XCTAssertTrue(flat.contains("are not shown: too wide for \(width) columns; diff.csv, diff.md and diff.json hold the full matrix"), text)
            XCTAssertGreaterThan(shownColumns, 1)
            // 27 rows under the header, each a label and its cells.
            XCTAssertTrue(lines[start + 28].hasPrefix("(unassigned)"), lines[start + 28])
            XCTAssertTrue(lines[start + 29].hasPrefix("(absent)"), lines[start + 29])
        }
        // Wider shows more columns; wide enough, all of them and no note.
        let at80 = DiffExporter.text(d, width: 80), at120 = DiffExporter.text(d, width: 120)
        func shown(_ t: String) -> Int {
            let lines = t.split(separator: "\n")
            let i = lines.firstIndex { $0.hasPrefix("migration (") }!
            return lines[i + 2].dropFirst("Big Spenders × Lapsed".count).split(separator: " ").count
        }
        XCTAssertLessThan(shown(at80), shown(at120))
        let wide = DiffExporter.text(d, width: 1000)
        XCTAssertFalse(wide.contains("…"), wide)
        XCTAssertFalse(wide.contains("columns are not shown"))
        XCTAssertTrue(wide.contains("Cannot Lose Them × Active"))
    }

    func testTopFlowsAreTheLargestOffTheDiagonalWithTiesInByteOrder() throws {
        let d = try Self.diff()
        let expected = Self.moves.prefix(10).map { Flow(from: $0.from, to: $0.to, count: $0.count) }
        XCTAssertEqual(DiffExporter.topFlows(d), expected)
        XCTAssertEqual(DiffExporter.topFlows(d, limit: 100).count, Self.moves.count)
        for width in [80, 120] {
            let lines = DiffExporter.text(d, width: width).split(separator: "\n").map(String.init)
            let start = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("top flows off the diagonal") })
            XCTAssertEqual(Array(lines[(start + 1)...].prefix(10)), expected.map { "  \($0.from) → \($0.to): \($0.count)" })
            XCTAssertFalse(lines.contains("  Cannot Lose Them × Active → At Risk × Active: 1"), "only the top 10")
        }
        // Labels too long for the line are cut, the count kept.
        let long = String(repeating: "Very Long Segment Name ", count: 5)
        let csv = { (label: String) in "customer_id,segment\n" + (0..<3).map { "c\($0),\(label)\n" }.joined() }
        let d2 = try DiffEngine.diff(from: DiffFixture.record(1, csv(long + "A")), to: DiffFixture.record(2, csv(long + "B")),
                                     includeMovers: false)
        let text = DiffExporter.text(d2, width: 80)
        let flow = try XCTUnwrap(text.split(separator: "\n").first { $0.hasPrefix("  Very Long") && $0.hasSuffix(": 3") })
        XCTAssertTrue(flow.contains("…") && flow.contains(" → "), String(flow))
        XCTAssertLessThanOrEqual(flow.count, 80)
        for line in text.split(separator: "\n") { XCTAssertLessThanOrEqual(TerminalColumns.width(String(line)), 80, String(line)) }
        let none = try DiffEngine.diff(from: DiffFixture.record(1, csv("A")), to: DiffFixture.record(2, csv("A")), includeMovers: false)
        XCTAssertTrue(DiffExporter.text(none).contains("top flows: none"))
    }

    func testFilesKeepTheFullMatrix() throws {
        let d = try Self.diff()
        let csv = String(decoding: DiffExporter.csv(d), as: UTF8.self)
        XCTAssertEqual(csv.split(separator: "\n").filter { $0.hasPrefix("matrix,") }.count, 28 * 28)
        let md = String(decoding: DiffExporter.markdown(d), as: UTF8.self)
        XCTAssertTrue(md.contains("| v1 → v2 | " + d.labels.joined(separator: " | ") + " |"), md)
        let json = try JSONDecoder().decode(VersionDiff.self, from: DiffExporter.json(d))
        XCTAssertEqual(json.matrix.rows().count, 28)
        XCTAssertEqual(json, d)
    }

    func testHostileLabelsStayEscapedAndWithinTheWidth() throws {
        let csv = { (label: String) in "customer_id,segment\n" + (0..<3).map { "c\($0),\"\(label)\"\n" }.joined() }
        let d = try DiffEngine.diff(from: DiffFixture.record(1, csv("::error::x\u{1B}[31m" + String(repeating: "漢", count: 60))),
                                    to: DiffFixture.record(2, csv("##[warning]\u{202E}b")), includeMovers: true)
        for width in [40, 80] {
            let text = DiffExporter.text(d, width: width) + DiffExporter.moverLines(d, width: width).joined(separator: "\n")
            XCTAssertFalse(text.contains("\u{1B}") || text.contains("\u{202E}"))
            XCTAssertFalse(text.contains("##[warning]"))
            for line in text.split(separator: "\n") {
                XCTAssertLessThanOrEqual(TerminalColumns.width(String(line)), width, String(line))
                XCTAssertFalse(line.trimmingCharacters(in: .whitespaces).hasPrefix("::"), String(line))
            }
        }
    }

    func testDisplayWidthTruncationAndWrapping() {
        XCTAssertEqual(TerminalColumns.width("Champions × Active"), 18)
        XCTAssertEqual(TerminalColumns.width("e\u{301}"), 1, "a combining accent adds no column")
        XCTAssertEqual(TerminalColumns.width("漢字"), 4)
        XCTAssertEqual(TerminalColumns.truncate("Champions × Active", to: 12), "Champions ×…")
        XCTAssertEqual(TerminalColumns.truncate("Loyal", to: 12), "Loyal")
        XCTAssertEqual(TerminalColumns.truncate("漢字漢字", to: 4), "漢…")
        XCTAssertEqual(TerminalColumns.wrap("  one two three four", to: 12), ["  one two", "    three", "    four"])
        XCTAssertEqual(TerminalColumns.wrap("abcdefghijklmnop", to: 10), ["abcdefghij", "    klmnop"])
    }
}
