import XCTest
import LuaHost
@testable import SegworkCore
@testable import SegworkData

/// Labels and data values that try to become spreadsheet formulas, live Markdown/HTML, terminal escapes or
/// CI annotations in what Segwork writes and prints (issue 8, "Hardening").
final class HostileExportTests: XCTestCase {
    static let formula = "=HYPERLINK(\"http://evil.example\",\"click\")"
    static let labels = [formula, "-2+3", "@SUM(A1)", "+1", "'=already", "<script>alert(1)</script>",
                         "[x](javascript:alert(1))", "`code` | R&D", "::error::x"]

    /// 9 customers, one per label; a text column with hostile values, an integer column with negative numbers.
    private func report() throws -> ProfileReport {
        let n = Self.labels.count
        let table = try Table(columns: [
            Column(name: "id", storage: .string(codes: (0..<Int32(n)).map { $0 },
                                                 dictionary: (0..<n).map { $0 == 0 ? "=1+1" : "c\($0)" })),
            Column(name: "city", storage: .string(codes: (0..<Int32(n)).map { $0 % 2 },
                                                   dictionary: ["=cmd|' /C calc'!A0", "<img src=x onerror=alert(1)>"])),
            Column(name: "delta", storage: .integer((0..<n).map { _ in -5 })),
            Column(name: "spend", storage: .double((0..<n).map { -3.5 * Double($0 + 1) })),
        ])
        let assignment = SegmentAssignment(codes: (0..<Int32(n)).map { $0 }, labels: Self.labels)
        let profiles = try Profiler.profiles(table: table, assignment: assignment,
                                             options: ProfileOptions(numeric: ["spend"], categorical: ["city", "delta"]))
        return ProfileReport(run: ExportTests.run, profiles: profiles)
    }

    private func csvCells(_ data: Data) -> [String] {
        String(decoding: data, as: UTF8.self).split(separator: "\n").flatMap { line in
            line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
    }

    func testRejectsCSVGuardsTheRejectedValuesAndColumnNames() throws {
        let report = CleaningReport(datasets: [], rejects: [
            CleaningReject(dataset: "people", line: 7, column: "@col", rule: "range", value: "=HYPERLINK(\"http://x\")"),
            CleaningReject(dataset: "people", line: 8, column: "age", rule: "range", value: "-12"),
        ])
        let text = String(decoding: report.rejectsCSV, as: UTF8.self)
        XCTAssertTrue(text.contains("'@col,range,\"'=HYPERLINK(\"\"http://x\"\")\""), text)
        XCTAssertTrue(text.contains("people,8,age,range,'-12"), "a rejected value is text as read, guarded: \(text)")
        XCTAssertFalse(text.contains(",=HYPERLINK"), text)
    }

    func testProfilesCSVGuardsTextCellsAgainstFormulasButNotNumbers() throws {
        let csv = String(decoding: Exporter.csv(try report()), as: UTF8.self)
        XCTAssertTrue(csv.contains("\n\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\",,count,1,\n"), csv)
        XCTAssertTrue(csv.contains("\n'-2+3,,count,1,\n"))
        XCTAssertTrue(csv.contains("\n'@SUM(A1),,count,1,\n"))
        XCTAssertTrue(csv.contains("\n'+1,,count,1,\n"))
        XCTAssertTrue(csv.contains("\n''=already,,count,1,\n"), "apostrophes before a formula get one more")
        XCTAssertTrue(csv.contains(",city,top1,,'=cmd|' /C calc'!A0\n"), csv)
        // Numbers written by the host stay numbers: the minimum spend and a top value of an integer column.
        XCTAssertTrue(csv.contains("\n(all),spend,min,-31.5,\n"), csv)
        XCTAssertTrue(csv.contains("\n(all),delta,top1,,-5\n"), csv)
        for cell in csvCells(Exporter.csv(try report())) {
            XCTAssertFalse(["=", "+", "@", "\t", "\r"].contains(cell.first.map(String.init) ?? ""), cell)
        }
    }

    func testMembershipGuardsTextIdsAndLabelsAndTheDiffReadsThemBack() throws {
        let ids = Column(name: "customer_id", storage: .string(codes: [0, 1, 2], dictionary: ["=1+1", "-7", "'x"]))
        let score = Column(name: "score", storage: .double([-3.5, 1, 2]))
        let assignment = SegmentAssignment(codes: [0, 1, -1], labels: [Self.formula, "@home"])
        let data = Exporter.membership(ids: ids, assignment: assignment, scores: [score])
        XCTAssertEqual(String(decoding: data, as: UTF8.self), """
            customer_id,segment,score
            '=1+1,"'=HYPERLINK(""http://evil.example"",""click"")",-3.5
            '-7,'@home,1
            'x,,2

            """)
        // Integer ids are numbers: never guarded.
        let numeric = Exporter.membership(ids: Column(name: "id", storage: .integer([-5])),
                                          assignment: SegmentAssignment(codes: [0], labels: ["-x"]), scores: [])
        XCTAssertEqual(String(decoding: numeric, as: UTF8.self), "id,segment\n-5,'-x\n")
        // The diff reads the stored membership back to the original ids and labels.
        let moved = Exporter.membership(ids: ids, assignment: SegmentAssignment(codes: [1, 1, 1], labels: [Self.formula, "@home"]),
                                        scores: [])
        let d = try DiffEngine.diff(from: DiffFixture.record(1, data), to: DiffFixture.record(2, moved), includeMovers: true)
        XCTAssertEqual(d.labels, [Self.formula, "@home", "(unassigned)", "(absent)"])
        XCTAssertEqual(d.movers?.map(\.customerID), ["=1+1", "'x"])
        // Hashing ids hashes the id itself, not its guarded form.
        let hasher = IDHasher(salt: "pepper")
        let hashed = String(decoding: hasher.hashMembership(data), as: UTF8.self)
        XCTAssertTrue(hashed.contains("\n\(hasher.hash("=1+1")),"), hashed)
    }

    func testMarkdownHasNoLiveHTMLOrLinks() throws {
        let md = String(decoding: Exporter.markdown(try report()), as: UTF8.self)
        XCTAssertFalse(md.contains("<script"), md)
        XCTAssertFalse(md.contains("<img"))
        XCTAssertFalse(md.contains("[x]("), "no Markdown link can form")
        XCTAssertTrue(md.contains("### &lt;script&gt;alert(1)&lt;/script&gt;\n"))
        XCTAssertTrue(md.contains("### \\[x\\](javascript:alert(1))\n"))
        XCTAssertTrue(md.contains("### \\`code\\` \\| R&amp;D\n"))
        XCTAssertTrue(md.contains("| &lt;img src=x onerror=alert(1)&gt; |"), md)
    }

    func testMarkdownShowsControlCharactersEscaped() {
        let md = MarkdownText()
        XCTAssertEqual(md.escape("a\u{1B}[31mb\u{0}c\u{202E}d\te\nf"), "a\\u{1B}\\[31mb\\u{0}c\\u{202E}d e f")
    }

    func testCategoricalValuesAreComparedInNFC() throws {
        let nfd = "cafe\u{301}", nfc = "caf\u{E9}"
        let table = try Table(columns: [
            Column(name: "id", storage: .string(codes: [0, 1, 2, 3], dictionary: ["a", "b", "c", "d"])),
            Column(name: "shop", storage: .string(codes: [0, 1, 1, 2], dictionary: [nfd, nfc, "bar"])),
        ])
        let p = try Profiler.profiles(table: table, assignment: SegmentAssignment(codes: [0, 0, 0, 0], labels: ["All"]),
                                      options: ProfileOptions(categorical: ["shop"]))
        let summary = try XCTUnwrap(p.population.categorical.first)
        XCTAssertEqual(summary.distinct, 2)
        XCTAssertEqual(summary.top.map(\.count), [3, 1])
        // Shown in NFC even though the decomposed form came first.
        XCTAssertEqual(summary.top.map { Array($0.value.utf8) }, [Array(nfc.utf8), Array("bar".utf8)])
    }

    func testTerminalSummaryEscapesLabelsAndCannotStartACICommand() throws {
        var r = try report()
        r.segments[0].label = "::error::x\u{1B}]0;pwned\u{7}\u{202E}"
        let text = RunSummary.text(report: r, scoreColumns: [], version: "v1", destination: nil, notes: ["::warning::note"])
        for s in text.unicodeScalars where s != "\n" { XCTAssertFalse(TerminalText.isControl(s.value), text) }
        for line in text.split(separator: "\n") {
            XCTAssertFalse(line.drop { $0 == " " }.hasPrefix("::"), String(line))
        }
        XCTAssertTrue(text.contains("\n  \\u{3A}:error::x\\u{1B}]0;pwned\\u{7}\\u{202E}  "), text)
    }

    func testGateMessagesAreEscaped() {
        let g = GateResult(gate: "min_segment_size", segment: "x", passed: false, actual: 1, limit: 2,
                           message: "gate: segment '\u{1B}[2J\nboom' has 1 customer")
        XCTAssertEqual(g.message, "gate: segment '\\u{1B}[2J\\u{A}boom' has 1 customer")
    }
}
