import XCTest
@testable import SegworkCore
@testable import SegworkData

/// profiles.csv has one type per column (docs/EXPORTS.md, "profiles.csv"): `value` is always a number or empty,
/// `text` always text, and no row fills both.
final class ProfilesCSVTypeTests: XCTestCase {
    /// RFC 4180 records of `data` (quoted fields, doubled quotes, line breaks inside quotes).
    static func records(_ data: Data) -> [[String]] {
        var records: [[String]] = [], fields: [String] = [], field = "", quoted = false
        var chars = Array(String(decoding: data, as: UTF8.self)), i = 0
        while i < chars.count {
            let c = chars[i]
            if quoted {
                if c == "\"" {
                    if i + 1 < chars.count, chars[i + 1] == "\"" { field.append("\""); i += 1 } else { quoted = false }
                } else { field.append(c) }
            } else if c == "\"" { quoted = true
            } else if c == "," { fields.append(field); field = ""
            } else if c == "\n" { fields.append(field); records.append(fields); fields = []; field = ""
            } else { field.append(c) }
            i += 1
        }
        chars = []
        return records
    }

    func testEveryValueIsANumberOrEmptyAndTextNeverSharesARow() throws {
        let options = ProfileOptions(numeric: ["spend", "age", "since"], categorical: ["city", "vip"],
                                     monetary: "spend", topN: 3)
        let assignment = ProfileFixture.assignment
        var profiles = try Profiler.profiles(table: ProfileFixture.table(), assignment: assignment, options: options)
        profiles = Suppression.apply(profiles, k: 3)  // Bronze (2 customers) is suppressed; some top values too
        var report = ProfileReport(run: ExportTests.run, profiles: profiles)
        report.scorecard = Scorecard.make(profiles, assignment: assignment, orders: nil, previous: nil,
                                          spec: ScorecardSpec())
        let records = Self.records(Exporter.csv(report))
        XCTAssertEqual(records.first, ["segment", "column", "statistic", "value", "text"])
        var texts: Set<String> = []
        for record in records.dropFirst() {
            XCTAssertEqual(record.count, 5, "\(record)")
            let value = record[3], text = record[4]
            XCTAssertTrue(value.isEmpty || Double(value) != nil, "value must be numeric or empty: \(record)")
            XCTAssertTrue(value.isEmpty || text.isEmpty, "a row has a number or a text, not both: \(record)")
            if !text.isEmpty { texts.insert(record[2]) }
        }
        // The rows that carry text: top values (of a text, a bool and no other column here), flags, warnings.
        XCTAssertTrue(texts.isSuperset(of: ["top1", "top2", "suppressed", "warning"]), "\(texts.sorted())")
        XCTAssertTrue(records.contains(["(all)", "city", "top1", "", "A"]))
        XCTAssertTrue(records.contains(["(all)", "vip", "top1", "", "false"]))
        XCTAssertTrue(records.contains(["Bronze", "", "suppressed", "", "true"]))
        XCTAssertTrue(records.contains(["Gold", "spend", "mean", "23.3333333333", ""]))
    }
}
