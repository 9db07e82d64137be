import Foundation
import XCTest

/// Hostile labels through the whole `seg run`: the segment cap (per criterion and after `combine: cross`), and
/// labels that try to become terminal escapes, CI annotations or spreadsheet formulas.
final class HostileLabelCLITests: XCTestCase {
    private func customers(_ n: Int) -> String {
        "customer_id,age\n" + (1...n).map { "c\($0),\(20 + $0 % 50)" }.joined(separator: "\n") + "\n"
    }

    private func definition(_ criteria: [String], combine: String = "cross") -> String {
        """
        population: customers
        id: customer_id
        datasets:
          customers: { file: data/customers.csv }
        criteria:
        \(criteria.map { "  - plugin: \($0)" }.joined(separator: "\n"))
        combine: \(combine)
        as_of: 2024-01-01
        """
    }

    private func plugin(_ name: String, body: String) -> String {
        """
        return {
          api = 1, kind = "criterion", name = "\(name)", version = "1.0.0", description = "test",
          uses = { "customer_id", "age" },
          assign = function(row, p)
            \(body)
          end,
        }
        """
    }

    /// A plugin version with terminal control sequences (QA once found `seg show` printed one raw): versions are now
    /// semantic versions, so the plugin is refused at load, and the message shows the bytes escaped.
    func testAHostilePluginVersionIsRefusedAndShownEscaped() throws {
        let hostileVersion = plugin("v", body: "return 'A'").replacingOccurrences(
            of: #"version = "1.0.0""#, with: #"version = "1\27]0;VER\7\n::error::ver""#)
        let ws = try TempWorkspace(files: ["data/customers.csv": customers(3),
                                           "segmentations/d.yaml": definition(["v"]),
                                           "plugins/v.lua": hostileVersion])
        defer { ws.remove() }
        let run = try seg(["run", ws.root.path, "-q"])
        XCTAssertEqual(run.status, 1, run.stderr)
        XCTAssertTrue(run.stderr.contains("field 'version' must be a semantic version"), run.stderr)
        XCTAssertFalse(run.stderr.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 }, run.stderr)
        XCTAssertFalse(run.stderr.split(separator: "\n").contains { $0.drop { $0 == " " }.hasPrefix("::") }, run.stderr)
        XCTAssertTrue(run.stderr.contains("\\u{1B}]0;VER"), run.stderr)
    }

    func testOneLabelPerCustomerStopsAtTheSegmentLimitNamingThePluginAndCustomer() throws {
        let ws = try TempWorkspace(files: ["data/customers.csv": customers(30),
                                           "segmentations/d.yaml": definition(["unique"]),
                                           "plugins/unique.lua": plugin("unique", body: "return 'seg ' .. row.customer_id")],
                                   limits: "limits: { segments: 12 }\n")
        defer { ws.remove() }
        let r = try SegProcess.run(["run", ws.root.path])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("plugin 'unique' ("), r.stderr)
        XCTAssertTrue(r.stderr.contains("gave more than 12 distinct labels; the next one, 'seg c13', was given for customer c13 ("), r.stderr)
        XCTAssertTrue(r.stderr.contains("data/customers.csv, line 14). A criterion"), r.stderr)
        XCTAssertTrue(r.stderr.contains("limits.segments"), r.stderr)
        XCTAssertTrue(ws.exportedFiles().isEmpty, "nothing written")
    }

    func testCrossCombineIsCappedToo() throws {
        let ws = try TempWorkspace(files: ["data/customers.csv": customers(40),
                                           "segmentations/d.yaml": definition(["tens", "units"]),
                                           "plugins/tens.lua": plugin("tens", body: "return 'T' .. (row.age // 10)"),
                                           "plugins/units.lua": plugin("units", body: "return 'U' .. (row.age % 10)")],
                                   limits: "limits: { segments: 20 }\n")
        defer { ws.remove() }
        let r = try SegProcess.run(["run", ws.root.path])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("combining criteria 'tens', 'units' (combine: cross) gave 40 segments, more than the limit of 20"), r.stderr)
        XCTAssertTrue(ws.exportedFiles().isEmpty, "nothing written")
    }

    func testBothUnicodeFormsOfALabelAreOneSegment() throws {
        // Before: "profile: the segment label 'café' appears twice", exit 1, naming neither plugin nor row.
        let ws = try TempWorkspace(files: ["data/customers.csv": customers(6),
                                           "segmentations/d.yaml": definition(["cafe"]),
                                           "plugins/cafe.lua": plugin("cafe", body: """
                                               if row.age % 2 == 0 then return "caf\\u{E9}" end return "cafe\\u{301}"
                                               """)])
        defer { ws.remove() }
        let r = try SegProcess.run(["run", ws.root.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        let membership = try XCTUnwrap(ws.exportedFiles().first { $0.hasSuffix("membership.csv") })
        let csv = try Data(contentsOf: ws.root.appendingPathComponent("exports").appendingPathComponent(membership))
        XCTAssertEqual(String(decoding: csv, as: UTF8.self),
                       "customer_id,segment\n" + (1...6).map { "c\($0),caf\u{E9}\n" }.joined())
        XCTAssertFalse(csv.contains(Array("e\u{301}".utf8)), "written in NFC only")
    }

    func testHostileLabelsArePrintedSafelyAndExportedWithoutFormulas() throws {
        let ws = try TempWorkspace(files: [
            "data/customers.csv": customers(4),
            "segmentations/d.yaml": definition(["evil"]),
            "plugins/evil.lua": plugin("evil", body: """
                seg.log("\\27]0;owned\\7\\n::error::from log")
                local labels = { "::error file=x::boom", "=HYPERLINK(\\"http://e.example\\",\\"x\\")", "<script>alert(1)</script>", "ok" }
                return labels[(tonumber(row.customer_id:sub(2)) % 4) + 1]
                """),
        ])
        defer { ws.remove() }
        let r = try SegProcess.run(["run", ws.root.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        for (name, text) in [("stdout", r.stdout), ("stderr", r.stderr)] {
            XCTAssertFalse(text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "\(name): \(text)")
            for line in text.split(separator: "\n") {
                XCTAssertFalse(line.drop { $0 == " " }.hasPrefix("::"), "\(name) line starts a CI command: \(line)")
            }
        }
        XCTAssertTrue(r.stderr.contains("[evil] \\u{1B}]0;owned\\u{7}\n[evil] \\u{3A}:error::from log"), r.stderr)
        XCTAssertTrue(r.stdout.contains("\\u{3A}:error file=x::boom"), r.stdout)
        let files = ws.exportedFiles()
        let membership = try XCTUnwrap(files.first { $0.hasSuffix("membership.csv") })
        let csv = try String(contentsOf: ws.root.appendingPathComponent("exports").appendingPathComponent(membership), encoding: .utf8)
        XCTAssertTrue(csv.contains("c1,\"'=HYPERLINK(\"\"http://e.example\"\",\"\"x\"\")\"\n"), csv)
        let md = try String(contentsOf: ws.root.appendingPathComponent("exports").appendingPathComponent(try XCTUnwrap(files.first { $0.hasSuffix("profiles.md") })),
                            encoding: .utf8)
        XCTAssertFalse(md.contains("<script>"), md)
    }
}
