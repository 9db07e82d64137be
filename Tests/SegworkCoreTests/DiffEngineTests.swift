import XCTest
import LuaHost
@testable import SegworkCore
@testable import SegworkData

final class DiffEngineTests: XCTestCase {
    private typealias F = DiffFixture

    func testHandComputedMigration() throws {
        let d = try DiffEngine.diff(from: F.record(1, F.v1CSV), to: F.record(2, F.v2CSV), includeMovers: false)
        XCTAssertEqual(d.labels, ["A", "B", "C", "D", "(unassigned)", "(absent)"])
        XCTAssertEqual(d.matrix.rows(), [
            // A  B  C  D  un ab
            [2, 2, 0, 0, 0, 1],  // A: c3 c4 stay, c1 c2 → B, c10 left
            [0, 3, 0, 0, 0, 0],  // B
            [0, 0, 0, 0, 1, 0],  // C: c8 → unassigned
            [0, 0, 0, 0, 0, 0],  // D (new)
            [0, 0, 0, 0, 1, 0],  // unassigned: c9
            [0, 1, 0, 1, 0, 0],  // absent: c11 → B, c12 → D
        ])
        XCTAssertEqual(d.entered, 2)
        XCTAssertEqual(d.left, 1)
        XCTAssertEqual(d.moved, 3)
        XCTAssertEqual(d.stayed, 6)
        XCTAssertEqual(d.drift, 0.333333333333)
        XCTAssertEqual(d.from, VersionRef(id: "v1", runID: "run-1", asOf: "2024-03-01",
                                          createdAt: "2026-01-01T10:00:00Z", customers: 10))
        XCTAssertEqual(d.to.customers, 11)
        XCTAssertEqual(d.definition, "tiers")
        XCTAssertEqual(d.formatVersion, 1)
        XCTAssertNil(d.movers)

        XCTAssertEqual(d.segments.map(\.label), ["A", "B", "C", "D", "(unassigned)"])
        XCTAssertEqual(d.segments[0], SegmentChange(
            label: "A", before: 5, after: 2, delta: -3, shareBefore: 0.5, shareAfter: 0.181818181818,
            shareDelta: -0.318181818182, stayed: 2, movedIn: 0, movedOut: 2, entered: 0, left: 1))
        XCTAssertEqual(d.segments[1], SegmentChange(
            label: "B", before: 3, after: 6, delta: 3, shareBefore: 0.3, shareAfter: 0.545454545455,
            shareDelta: 0.245454545455, stayed: 3, movedIn: 2, movedOut: 0, entered: 1, left: 0))
        XCTAssertEqual(d.segments[2], SegmentChange(
            label: "C", before: 1, after: 0, delta: -1, shareBefore: 0.1, shareAfter: 0, shareDelta: -0.1,
            stayed: 0, movedIn: 0, movedOut: 1, entered: 0, left: 0))
        XCTAssertEqual(d.segments[3], SegmentChange(
            label: "D", before: 0, after: 1, delta: 1, shareBefore: 0, shareAfter: 0.0909090909091,
            shareDelta: 0.0909090909091, stayed: 0, movedIn: 0, movedOut: 0, entered: 1, left: 0))
        XCTAssertEqual(d.segments[4], SegmentChange(
            label: "(unassigned)", before: 1, after: 2, delta: 1, shareBefore: 0.1, shareAfter: 0.181818181818,
            shareDelta: 0.0818181818182, stayed: 1, movedIn: 1, movedOut: 0, entered: 0, left: 0))
        for s in d.segments {
            XCTAssertEqual(s.before, s.stayed + s.movedOut + s.left, s.label)
            XCTAssertEqual(s.after, s.stayed + s.movedIn + s.entered, s.label)
        }
    }

    func testMoversAreEveryoneOffTheDiagonalInAxisThenByteOrder() throws {
        let d = try DiffEngine.diff(from: F.record(1, F.v1CSV), to: F.record(2, F.v2CSV), includeMovers: true)
        XCTAssertEqual(d.movers, [
            Mover(customerID: "c1", from: "A", to: "B"), Mover(customerID: "c2", from: "A", to: "B"),
            Mover(customerID: "c10", from: "A", to: "(absent)"),
            Mover(customerID: "c8", from: "C", to: "(unassigned)"),
            Mover(customerID: "c11", from: "(absent)", to: "B"), Mover(customerID: "c12", from: "(absent)", to: "D"),
        ])
        // Ids within one cell in byte order: "B" < "a" < "b" < "é".
        let a = F.record(1, "id,segment\né,X\nb,X\nB,X\na,X\n")
        let b = F.record(2, "id,segment\na,Y\nB,Y\né,Y\nb,Y\n")
        let m = try DiffEngine.diff(from: a, to: b, includeMovers: true)
        XCTAssertEqual(m.movers?.map(\.customerID), ["B", "a", "b", "é"])
        XCTAssertEqual(m.labels, ["X", "Y", "(unassigned)", "(absent)"])
        XCTAssertEqual(m.drift, 1)
    }

    func testSegmentOrderIsSizeThenByteOrderAndNewLabelsFollow() throws {
        let a = F.record(1, "id,segment\n1,b\n2,B\n3,a\n4,a\n5,z\n6,é\n")
        let b = F.record(2, "id,segment\n1,b\n2,new2\n3,new1\n4,new1\n5,z\n6,new0\n7,new0\n8,new0\n")
        let d = try DiffEngine.diff(from: a, to: b, includeMovers: false)
        XCTAssertEqual(d.labels, ["a", "B", "b", "z", "é", "new0", "new1", "new2", "(unassigned)", "(absent)"])
        let gone = d.segments.first { $0.label == "é" }
        XCTAssertEqual(gone?.after, 0)
        XCTAssertEqual(gone?.left, 0)
        XCTAssertEqual(gone?.movedOut, 1)
    }

    func testQuotedIdsAreComparedAsExactStrings() throws {
        // Ids with commas, doubled quotes and line breaks; CRLF rows; a BOM; two ids that differ only in
        // Unicode normalisation (precomposed é vs e + combining acute) are two customers.
        let a = "\u{FEFF}id,segment,score\r\n\"a,1\",Gold,1\r\n\"b\"\"2\",Gold,\r\n\"multi\nline\",Silver,2\r\n"
            + "\u{E9},Gold,1\r\n"
        let b = "id,segment\n\"b\"\"2\",Silver\n\"a,1\",Gold\n\"multi\nline\",Silver\ne\u{301},Gold\n\n"
        let d = try DiffEngine.diff(from: F.record(1, a), to: F.record(2, b), includeMovers: true)
        XCTAssertEqual(d.from.customers, 4)
        XCTAssertEqual(d.to.customers, 4)
        XCTAssertEqual(d.stayed, 2)
        XCTAssertEqual(d.moved, 1)
        XCTAssertEqual(d.entered, 1)
        XCTAssertEqual(d.left, 1)
        XCTAssertEqual(d.movers, [Mover(customerID: "b\"2", from: "Gold", to: "Silver"),
                                  Mover(customerID: "\u{E9}", from: "Gold", to: "(absent)"),
                                  Mover(customerID: "e\u{301}", from: "(absent)", to: "Gold")])
    }

    func testDifferentDefinitionsAreRefused() {
        let a = F.record(1, F.v1CSV), b = F.record(2, F.v2CSV, definition: "churn")
        XCTAssertThrowsError(try DiffEngine.diff(from: a, to: b, includeMovers: false)) { error in
            XCTAssertEqual(error as? DiffError, .differentDefinitions(fromVersion: "v1", fromDefinition: "tiers",
                                                                      toVersion: "v2", toDefinition: "churn"))
            let text = "\(error)"
            XCTAssertTrue(text.contains("'tiers'") && text.contains("'churn'"), text)
            XCTAssertTrue(text.contains("seg versions DIR --definition tiers"), text)
            XCTAssertEqual((error as? LocalizedError)?.errorDescription, text)
        }
    }

    func testDamagedMembershipsNameTheVersionAndLine() {
        func error(_ csv: String) -> DiffError? {
            do {
                _ = try DiffEngine.diff(from: F.record(1, F.v1CSV), to: F.record(7, csv), includeMovers: false)
                return nil
            } catch { return error as? DiffError }
        }
        XCTAssertEqual(error("id,segment\na,X\n\"b,X\nc,Y\n"),
                       .malformedMembership(version: "v7", line: 3, reason: "a quoted field is never closed (a '\"' is missing)"))
        XCTAssertEqual(error("id,segment\n\"a\"x,X\n"),
                       .malformedMembership(version: "v7", line: 2,
                                            reason: "a closing quote is followed by text instead of ',' or a line end"))
        XCTAssertEqual(error("id,label\na,X\n"),
                       .malformedMembership(version: "v7", line: 1, reason: "the header's second column must be 'segment'"))
        XCTAssertEqual(error("id,segment\na,X\nb\n"),
                       .malformedMembership(version: "v7", line: 3,
                                            reason: "the row has no 'segment' field (expected `<id>,<segment>`)"))
        XCTAssertEqual(error(""), .malformedMembership(version: "v7", line: 1,
                                                       reason: "it is empty instead of starting with `<id column>,segment`"))
        XCTAssertEqual(error("id,segment\n\"x\ny\",A\nb,X\n\"x\ny\",B\n"),
                       .duplicateCustomer(version: "v7", id: "x\ny", line: 5))
        XCTAssertEqual(error("id,segment\na,(absent)\n"), .reservedLabel(version: "v7", label: "(absent)", line: 2))
        var invalid = Data("id,segment\na,X\nb,".utf8)
        invalid.append(contentsOf: [0xFF, 0x0A])
        XCTAssertThrowsError(try DiffEngine.diff(from: F.record(1, F.v1CSV), to: F.record(3, invalid),
                                                 includeMovers: false)) {
            XCTAssertEqual($0 as? DiffError, .malformedMembership(version: "v3", line: 3, reason: "it is not valid UTF-8 text"))
        }
        XCTAssertTrue("\(error("id,segment\na,X\na,Y\n")!)".contains("customer 'a' twice"))
    }

    func testEmptyPopulationsHaveNoDriftOrShares() throws {
        let d = try DiffEngine.diff(from: F.record(1, "id,segment\n"), to: F.record(2, "id,segment,score\n"),
                                    includeMovers: true)
        XCTAssertEqual(d.labels, ["(unassigned)", "(absent)"])
        XCTAssertEqual(d.matrix.rows(), [[0, 0], [0, 0]])
        XCTAssertNil(d.drift)
        XCTAssertEqual(d.segments, [SegmentChange(label: "(unassigned)", before: 0, after: 0, delta: 0, shareBefore: nil,
                                                  shareAfter: nil, shareDelta: nil, stayed: 0, movedIn: 0,
                                                  movedOut: 0, entered: 0, left: 0)])
        XCTAssertEqual(d.movers, [])
        let disjoint = try DiffEngine.diff(from: F.record(1, "id,segment\na,X\n"), to: F.record(2, "id,segment\nb,X\n"),
                                           includeMovers: false)
        XCTAssertNil(disjoint.drift)
        XCTAssertEqual(disjoint.entered, 1)
        XCTAssertEqual(disjoint.left, 1)
    }

    func testSameVersionHasNoChanges() throws {
        let v = F.record(1, F.v1CSV)
        let d = try DiffEngine.diff(from: v, to: v, includeMovers: true)
        XCTAssertEqual(d.moved + d.entered + d.left, 0)
        XCTAssertEqual(d.stayed, 10)
        XCTAssertEqual(d.drift, 0)
        XCTAssertEqual(d.inputChanges, [])
        XCTAssertEqual(d.movers, [])
        XCTAssertEqual(d.segments.map(\.shareDelta), [0, 0, 0, 0])
    }

    func testDriftAloneMatchesTheDiff() throws {
        XCTAssertEqual(try DiffEngine.drift(from: Data(F.v1CSV.utf8), to: Data(F.v2CSV.utf8)), 0.333333333333)
        XCTAssertNil(try DiffEngine.drift(from: Data("id,segment\n".utf8), to: Data("id,segment\nx,A\n".utf8)))
        XCTAssertThrowsError(try DiffEngine.drift(from: Data("id,segment\n".utf8), to: Data("oops\n".utf8))) {
            XCTAssertTrue("\($0)".contains("the new version"), "\($0)")
        }
    }

    /// A stand-in for future centroid matching: segment "k2" of the newer version continues "k1".
    private struct Renamer: LabelMatcher {
        let map: [String: String]
        func match(from: VersionRecord, fromLabels: [String], to: VersionRecord, toLabels: [String]) -> [String: String] {
            map
        }
    }

    func testLabelMatcherHookPutsMatchedSegmentsOnOneAxisPosition() throws {
        let a = F.record(1, "id,segment\n1,k1\n2,k1\n3,k2\n")
        let b = F.record(2, "id,segment\n1,k2\n2,k2\n3,k7\n")
        let byName = try DiffEngine.diff(from: a, to: b, includeMovers: false)
        XCTAssertEqual(byName.moved, 3)
        let matched = try DiffEngine.diff(from: a, to: b, includeMovers: false,
                                          matcher: Renamer(map: ["k2": "k1", "k7": "k2"]))
        XCTAssertEqual(matched.labels, ["k1", "k2", "(unassigned)", "(absent)"])
        XCTAssertEqual(matched.moved, 0)
        XCTAssertEqual(matched.drift, 0)
        XCTAssertThrowsError(try DiffEngine.diff(from: a, to: b, includeMovers: false,
                                                 matcher: Renamer(map: ["k2": "k7"]))) {
            XCTAssertEqual($0 as? DiffError, .invalidLabelMatch(
                reason: "two segments of the newer version were both given the name 'k7'"))
        }
        XCTAssertThrowsError(try DiffEngine.diff(from: a, to: b, includeMovers: false,
                                                 matcher: Renamer(map: ["k2": "(absent)"])))
    }
}


/// Hand-built versions for the diff tests.
enum DiffFixture {
    static let sha1 = String(repeating: "ab", count: 32)
    static let sha2 = String(repeating: "cd", count: 32)

    /// A version of definition `definition` whose membership is `membership` (the CSV text, as stored).
    static func record(_ number: Int, _ membership: String, definition: String = "tiers",
                       definitionText: String = "name: tiers\n", asOf: String = "2024-03-01",
                       segworkVersion: String = "0.1.0", inputs: [InputInfo]? = nil,
                       plugins: [PluginInfo]? = nil) -> VersionRecord {
        VersionRecord(
            number: number, createdAt: "2026-01-0\(number)T10:00:00Z", definition: definition,
            definitionText: definitionText, definitionSHA256: SHA256.hex(Data(definitionText.utf8)),
            runID: "run-\(number)", asOf: asOf, segworkVersion: segworkVersion, seed: 1, frozenTime: 0,
            inputs: inputs ?? [InputInfo(name: "orders", file: "data/orders.csv", sha256: sha1, rows: 10)],
            plugins: plugins ?? [PluginInfo(name: "tiers", kind: "criterion", version: "1.0.0",
                                            file: "plugins/criteria/tiers.lua", sha256: sha2,
                                            params: ["min": .int(3), "label": .string("gold")])],
            customers: 0, segments: 0, profilesJSON: Data("{}\n".utf8), membershipCSV: Data(membership.utf8))
    }

    /// A version whose membership is exactly `bytes`.
    static func record(_ number: Int, _ bytes: Data) -> VersionRecord {
        var r = record(number, "")
        r.membershipCSV = bytes
        return r
    }

    /// 10 customers: A ×5 (c1 c2 c3 c4 c10), B ×3 (c5 c6 c7), C ×1 (c8), unassigned ×1 (c9). Rows shuffled.
    static let v1CSV = """
        customer_id,segment,score
        c5,B,1.5
        c1,A,2
        c9,,
        c3,A,0.5
        c10,A,1
        c8,C,3
        c2,A,2
        c7,B,
        c4,A,1
        c6,B,1

        """

    /// c1 c2 move A→B, c10 leaves, c11 (B) and c12 (D, a new segment) enter, c8 goes from C to unassigned
    /// (C vanishes); the rest stay. 11 customers: A ×2, B ×6, D ×1, unassigned ×2.
    static let v2CSV = """
        customer_id,segment,score
        c12,D,1
        c1,B,1
        c2,B,1
        c3,A,1
        c4,A,1
        c5,B,1
        c6,B,1
        c7,B,1
        c8,,1
        c9,,1
        c11,B,1

        """
}
