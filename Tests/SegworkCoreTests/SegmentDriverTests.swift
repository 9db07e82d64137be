import XCTest
@testable import SegworkCore
@testable import SegworkData

/// What sets a segment apart (issue 12): standardized differences against all customers, ranked by size.
final class SegmentDriverTests: XCTestCase {
    /// A = rows 0-3, B = rows 4-7. x: A lower; y: A much higher; z: constant (sd 0); c: A mostly "u", B mostly "v".
    private func profiles(_ k: Int? = nil) throws -> ProfileSet {
        let table = try Table(columns: [
            Column(name: "x", storage: .double([1, 2, 3, 4, 5, 6, 7, 8])),
            Column(name: "y", storage: .integer([10, 10, 10, 10, 0, 0, 0, 0])),
            Column(name: "z", storage: .double([3, 3, 3, 3, 3, 3, 3, 3])),
            Column(name: "c", storage: .string(codes: [0, 0, 0, 1, 1, 1, 1, 0], dictionary: ["u", "v"])),
        ])
        let set = try Profiler.profiles(table: table, assignment: SegmentAssignment(codes: [0, 0, 0, 0, 1, 1, 1, 1], labels: ["A", "B"]),
                                        options: ProfileOptions(numeric: ["x", "y", "z"], categorical: ["c"], topN: 2))
        return k.map { Suppression.apply(set, k: $0) } ?? set
    }

    func testDriversAreRankedByStandardizedDifferenceWithTheirSign() throws {
        let set = try profiles()
        let a = try XCTUnwrap(set.segments.first { $0.label == "A" }?.drivers)
        // y: (10 - 5) / sd(pop) = 5 / √(200/7); x: (2.5 - 4.5) / √6; c = u: (0.75 - 0.5) / √(0.5 · 0.5) = 0.5,
        // tied in size with c = v (-0.5): the value first in byte order wins. z has sd 0: never a driver.
        XCTAssertEqual(a.map(\.column), ["y", "x", "c"])
        // Computed from the rounded (12-digit) mean and sd: equal to the exact value to 11 digits.
        XCTAssertEqual(a[0].difference, 5 / (200.0 / 7).squareRoot(), accuracy: 1e-11)
        XCTAssertEqual(a[0].kind, "numeric")
        XCTAssertNil(a[0].value)
        XCTAssertEqual(a[0].segmentValue, 10)
        XCTAssertEqual(a[0].populationValue, 5)
        XCTAssertEqual(a[1].difference, -2 / 6.0.squareRoot(), accuracy: 1e-11, "lower than everyone: negative")
        XCTAssertEqual(a[2], SegmentDriver(column: "c", value: "u", kind: "categorical", difference: 0.5, segmentValue: 0.75,
                                           populationValue: 0.5))
        let b = try XCTUnwrap(set.segments.first { $0.label == "B" }?.drivers)
        XCTAssertEqual(b.map(\.difference), a.map { -$0.difference }, "B mirrors A")
        XCTAssertEqual(b[2].value, "u", "c = u (-0.5) and c = v (+0.5) tie in size: byte order decides")
        XCTAssertNil(set.population.drivers, "the population is not set apart from itself")
    }

    /// 39 of 400 customers hold "r"; 1 of segment A's 5 does (its top value: the others tie with it and come later in
    /// byte order). The population's share is 0.0975 exactly, as its own table shows it (9.8%); share / lift with
    /// 12-digit rounding gives 0.0975000000001, and other cases 0.0974999999998 (9.7%).
    func testACategoricalDriverUsesThePopulationsShareWithoutRoundingNoise() throws {
        let codes = (0..<400).map { Int32($0 < 5 ? $0 : $0 < 43 ? 0 : 5) }
        let table = try Table(columns: [Column(name: "c", storage: .string(codes: codes, dictionary: ["r", "s1", "s2", "s3", "s4", "z"]))])
        for topN in [1, 2] {   // with topN 1 the population's table lists only "z": share / lift is used for "r"
            let set = try Profiler.profiles(table: table,
                                            assignment: SegmentAssignment(codes: (0..<400).map { $0 < 5 ? 0 : 1 }, labels: ["A", "B"]),
                                            options: ProfileOptions(categorical: ["c"], topN: topN))
            let a = try XCTUnwrap(set.segments.first { $0.label == "A" }?.drivers?.first { $0.value == "r" }, "topN \(topN)")
            XCTAssertEqual(a.populationValue, 0.0975, "topN \(topN)")
            XCTAssertEqual(a.segmentValue, 0.2)
        }
    }

    func testSuppressedGroupsAndValuesGiveNoDrivers() throws {
        XCTAssertTrue(try profiles(5).segments.allSatisfy { $0.drivers == nil }, "groups under min_group_size: none")
        // With k = 4 the groups stay, but no value is held by 4 customers of one group: only numeric drivers are left.
        let a = try XCTUnwrap(try profiles(4).segments.first { $0.label == "A" })
        XCTAssertEqual(a.categorical("c")?.top, [])
        XCTAssertEqual(a.drivers?.map(\.column), ["y", "x"])
    }

    func testDriversAreInJSONAndMarkdown() throws {
        let report = ProfileReport(run: ExportTests.run, profiles: try profiles())
        let json = String(decoding: Exporter.json(report), as: UTF8.self)
        XCTAssertTrue(json.contains("\"drivers\" : ["), json)
        XCTAssertTrue(json.contains("\"kind\" : \"categorical\""))
        XCTAssertEqual(try JSONDecoder().decode(ProfileReport.self, from: Exporter.json(report)), report)
        let md = String(decoding: Exporter.markdown(report), as: UTF8.self)
        XCTAssertTrue(md.contains("Sets it apart: higher y (10.00 vs 5.00, +0.94 sd), lower x (2.50 vs 4.50, -0.82 sd), "
                                  + "more c = u (75.0% vs 50.0%, +0.50 sd)\n"), md)
        XCTAssertTrue(md.contains("fewer c = v (25.0% vs 50.0%, -0.50 sd)") == false, "only the three largest")
    }
}
