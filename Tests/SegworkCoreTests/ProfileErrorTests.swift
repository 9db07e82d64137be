import XCTest
@testable import SegworkCore
@testable import SegworkData

final class ProfileErrorTests: XCTestCase {
    private func error(_ options: ProfileOptions,
                       assignment: SegmentAssignment = ProfileFixture.assignment) throws -> ProfileError {
        do {
            _ = try Profiler.profile(table: ProfileFixture.table(), assignment: assignment, options: options)
        } catch let e as ProfileError {
            return e
        }
        XCTFail("expected a ProfileError")
        throw ProfileError.badTopN(-999)
    }

    func testUnknownColumnListsAvailableColumns() throws {
        let e = try error(ProfileOptions(numeric: ["spnd"]))
        XCTAssertEqual(e, .unknownColumn(name: "spnd", role: "numeric",
                                         available: ["id", "spend", "age", "city", "vip", "since"]))
        XCTAssertTrue(e.description.contains("'spnd'"))
        XCTAssertTrue(e.description.contains("id, spend, age, city, vip, since"))
        XCTAssertEqual(e.errorDescription, e.description)
        XCTAssertEqual(try error(ProfileOptions(categorical: ["town"])),
                       .unknownColumn(name: "town", role: "categorical",
                                      available: ["id", "spend", "age", "city", "vip", "since"]))
        XCTAssertEqual(try error(ProfileOptions(monetary: "revenue")),
                       .unknownColumn(name: "revenue", role: "monetary",
                                      available: ["id", "spend", "age", "city", "vip", "since"]))
    }

    func testMistypedColumns() throws {
        let text = try error(ProfileOptions(numeric: ["city"]))
        XCTAssertEqual(text, .wrongType(name: "city", role: "numeric", type: .string,
                                        allowed: [.integer, .double, .date]))
        XCTAssertTrue(text.description.contains("List it under 'categorical'"), text.description)
        XCTAssertEqual(try error(ProfileOptions(numeric: ["vip"])),
                       .wrongType(name: "vip", role: "numeric", type: .bool, allowed: [.integer, .double, .date]))
        XCTAssertEqual(try error(ProfileOptions(monetary: "since")),
                       .wrongType(name: "since", role: "monetary", type: .date, allowed: [.integer, .double]))
        XCTAssertEqual(try error(ProfileOptions(numeric: ["age", "age"])),
                       .duplicateColumn(name: "age", role: "numeric"))
        let both = try error(ProfileOptions(numeric: ["age"], categorical: ["city", "age"]))
        XCTAssertEqual(both, .duplicateColumn(name: "age", role: "numeric and categorical"))
        XCTAssertTrue(both.description.contains("both numeric and categorical"))
    }

    func testAssignmentMustMatchTable() throws {
        XCTAssertEqual(try error(ProfileOptions(), assignment: SegmentAssignment(codes: [0], labels: ["A"])),
                       .rowCountMismatch(codes: 1, rows: 10))
        let bad = SegmentAssignment(codes: [0, 0, 0, 0, 0, 0, 0, 0, 0, 3], labels: ["A"])
        XCTAssertEqual(try error(ProfileOptions(), assignment: bad), .badCode(row: 9, code: 3, labels: 1))
        let twice = SegmentAssignment(codes: Array(repeating: 0, count: 10), labels: ["A", "A"])
        XCTAssertEqual(try error(ProfileOptions(), assignment: twice), .duplicateLabel("A"))
        for reserved in ["(all)", "(unassigned)", ""] {
            let r = SegmentAssignment(codes: Array(repeating: 0, count: 10), labels: [reserved])
            XCTAssertEqual(try error(ProfileOptions(), assignment: r), .reservedLabel(reserved))
        }
        XCTAssertEqual(try error(ProfileOptions(topN: -1)), .badTopN(-1))
    }
}
