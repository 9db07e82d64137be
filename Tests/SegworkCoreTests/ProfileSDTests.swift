import XCTest
@testable import SegworkCore
@testable import SegworkData

/// `NumericSummary.sd` against pandas' `Series.std()` on Tests/Fixtures/profile-sd (ties, a constant segment, a
/// segment of one, missing values); the expected values and the script that made them are checked in beside it.
final class ProfileSDTests: XCTestCase {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/profile-sd")

    /// The fixture's lines split at commas (it has no quoted fields), header first; `#` lines left out.
    private func rows(_ name: String) throws -> [[String]] {
        let text = try String(contentsOf: Self.folder.appendingPathComponent(name), encoding: .utf8)
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") }
            .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    private func profiles() throws -> ProfileSet {
        let data = try rows("customers.csv").dropFirst()
        let amounts = data.map { Double($0[2]) }
        let visits = data.map { Int64($0[3]) }
        var labels: [String] = []
        let codes = data.map { row -> Int32 in
            if let i = labels.firstIndex(of: row[1]) { return Int32(i) }
            labels.append(row[1])
            return Int32(labels.count - 1)
        }
        let table = try Table(columns: [
            Column(name: "amount", storage: .double(amounts.map { $0 ?? 0 }), validity: Bitmap(amounts.map { $0 != nil })),
            Column(name: "visits", storage: .integer(visits.map { $0 ?? 0 }), validity: Bitmap(visits.map { $0 != nil })),
        ])
        return try Profiler.profiles(table: table, assignment: SegmentAssignment(codes: codes, labels: labels),
                                     options: ProfileOptions(numeric: ["amount", "visits"]))
    }

    func testSDMatchesPandas() throws {
        let set = try profiles()
        let expected = try rows("expected_sd.csv").dropFirst()
        XCTAssertEqual(expected.count, 14, "7 groups × 2 columns")
        for row in expected {
            let group = row[0] == "(all)" ? set.population : set.segments.first { $0.label == row[0] }
            let got = try XCTUnwrap(group?.numeric(row[1]), "\(row[0]) \(row[1])").sd
            guard let want = Double(row[2]) else {
                XCTAssertNil(got, "\(row[0]) \(row[1]): fewer than 2 values, no sd")
                continue
            }
            let value = try XCTUnwrap(got, "\(row[0]) \(row[1])")
            // Segwork rounds to 12 significant digits; pandas' full value must round to the same.
            XCTAssertEqual(value, ProfileMath.round(want), "\(row[0]) \(row[1])")
        }
        XCTAssertEqual(set.segments.first { $0.label == "Flat" }?.numeric("amount")?.sd, 0, "all values equal")
    }

    func testSDIsInEveryExport() throws {
        let set = try profiles()
        let report = ProfileReport(run: ExportTests.run, profiles: set)
        let json = String(decoding: Exporter.json(report), as: UTF8.self)
        XCTAssertTrue(json.contains("\"sd\" : 585.105175474"), json)
        XCTAssertTrue(json.contains("\"sd\" : null"), "a group of one writes null")
        let csv = String(decoding: Exporter.csv(report), as: UTF8.self)
        XCTAssertTrue(csv.contains("\n(all),amount,sd,585.105175474"), csv)
        XCTAssertTrue(csv.contains("\nSingle,amount,sd,"), csv)
        // A report written before 0.4.0 has no sd: it still decodes.
        let old = json.replacingOccurrences(of: #",\n *\"sd\" : [^,\n]*"#, with: "", options: .regularExpression)
        XCTAssertFalse(old.contains("\"sd\""))
        let back = try JSONDecoder().decode(ProfileReport.self, from: Data(old.utf8))
        XCTAssertNil(back.population.numeric("amount")?.sd)
    }
}
