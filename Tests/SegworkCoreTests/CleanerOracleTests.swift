import Foundation
import XCTest
@testable import SegworkCore
@testable import SegworkData

/// Issue 11: the faster built-in clean steps against the code they replace. Seeded random awkward tables (texts that
/// read alike or are canonically equal, a dictionary holding a text twice, empty and whitespace-only texts, missing
/// values everywhere, NaN, -0.0, 1e300, dates before 1970) go through random lists of `dedupe`, `standardise`,
/// `missing` and `validate` steps, once with `Cleaner.run` and once with `ReferenceCleaner` (the 1882b86 code), and
/// must give the same table (names, types, validity and every value in order: texts as bytes, doubles by bit pattern
/// apart from NaN payloads), the same rejects (every field, values as bytes) and the same report, or the same error.
final class CleanerOracleTests: XCTestCase {
    /// SplitMix64: the same sequence on every platform, so a failing seed can be replayed.
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    func testRandomStepListsGiveWhatThePreIssue11CodeGave() throws {
        var outcomes: [String: Int] = [:]
        for seed in UInt64(1)...100 {
            var rng = SplitMix64(state: seed &* 0x2545_F491_4F6C_DD1D)
            let table = OracleData.table(&rng)
            let pii: Set<String> = Bool.random(using: &rng) ? ["s2"] : []
            let steps = OracleData.steps(for: table, count: Int.random(in: 1...6, using: &rng), &rng)
            let outcome = try compare(table, steps, pii: pii, seed: seed)
            outcomes[outcome, default: 0] += 1
        }
        // The cases must exercise what they are for: most runs finish, many with rejects, a few stop on an error.
        XCTAssertGreaterThan(outcomes["cleaned", default: 0] + outcomes["rejects", default: 0], 75, "\(outcomes)")
        XCTAssertGreaterThan(outcomes["rejects", default: 0], 25, "\(outcomes)")
        XCTAssertGreaterThan(outcomes["error", default: 0], 5, "\(outcomes)")
    }

    /// Hand-picked cases the random lists reach only by luck: canonically equal texts in one dictionary through
    /// standardise, fill and dedupe; a median of -0.0; ties and missing values in `keep: latest`.
    func testAwkwardCasesByHand() throws {
        let texts = ["café", "cafe\u{301}", "café", " CAFÉ ", "", "\u{212B}", "\u{00C5}", "7", "007"]
        let n = 40
        let s = Column(name: "s1", storage: .string(codes: (0..<n).map { Int32(($0 * 7) % texts.count) }, dictionary: texts),
                       validity: Bitmap((0..<n).map { $0 % 5 != 4 }))
        let d = Column(name: "d", storage: .double((0..<n).map { [-0.0, 0.0, .nan, -0.0, 1e300, -0.0][$0 % 6] }),
                       validity: Bitmap((0..<n).map { $0 % 7 != 3 }))
        let t = Column(name: "t", storage: .date((0..<n).map { Int32([-1, -2, 5, 5][$0 % 4]) }),
                       validity: Bitmap((0..<n).map { $0 % 3 != 0 }))
        let table = try Table(columns: [s, d, t])
        func step(_ a: CleanStep.Action) -> CleanStep { CleanStep(action: a, line: 3) }
        let cases: [[CleanStep]] = [
            [step(.missing(column: "s1", action: .fill("café")))],
            [step(.missing(column: "s1", action: .fill("cafe\u{301}")))],  // its own bytes, not the composed "café" (index 0)
            [step(.missing(column: "s1", action: .fill("\u{212B}"))), step(.dedupe(key: ["s1"], keep: .first))],
            // A map to the canonically equal spelling: the bytes change, and `values_changed` counts it.
            [step(.standardise(StandardiseSpec(column: "s1", map: ["cafe\u{301}": "café", "\u{00C5}": "\u{00C5}"])))],
            [step(.standardise(StandardiseSpec(column: "s1", trim: true, textCase: .lower))), step(.dedupe(key: ["s1", "d"], keep: .last))],
            [step(.missing(column: "d", action: .fillMedian)), step(.missing(column: "t", action: .fillMedian))],
            [step(.dedupe(key: ["s1"], keep: .latest(by: "t"))), step(.dedupe(key: ["d"], keep: .latest(by: "d")))],
            [step(.validate(ValidateSpec(column: "s1", allowed: ["café", "Å"], required: true)))],
            [step(.validate(ValidateSpec(column: "d", range: (min: -1, max: 1, dates: false), allowed: ["0"])))],
        ]
        for (i, steps) in cases.enumerated() {
            _ = try compare(table, steps, pii: [], seed: UInt64(1_000 + i))
        }
    }

    /// Dictionaries larger than one parallel block of the faster steps (thousands of distinct texts, as with e-mail
    /// addresses), so work split over the cores must come back in row order.
    func testLargeDictionariesAcrossParallelBlocks() throws {
        var rng = SplitMix64(state: 77)
        let n = 6_000
        let dictionary = (0..<5_000).map { k in OracleData.pick(OracleData.texts, &rng) + "\(k % 3_000)" }
        let codes = (0..<n).map { _ in Int32.random(in: 0..<Int32(dictionary.count), using: &rng) }
        let s = Column(name: "s1", storage: .string(codes: codes, dictionary: dictionary), validity: OracleData.validity(n, &rng))
        let i = Column(name: "i", storage: .integer((0..<n).map { _ in Int64.random(in: 0..<50, using: &rng) }), validity: nil)
        let table = try Table(columns: [s, i])
        func step(_ a: CleanStep.Action) -> CleanStep { CleanStep(action: a, line: 3) }
        let steps = [
            step(.validate(ValidateSpec(column: "s1", allowed: Array(dictionary.prefix(4_000)), regex: ".*[0-9]"))),
            step(.standardise(StandardiseSpec(column: "s1", trim: true, textCase: .upper, collapseWhitespace: true,
                                              map: ["CAFÉ1": "café1", "A2": ""]))),
            step(.dedupe(key: ["s1"], keep: .latest(by: "i"))),
            step(.validate(ValidateSpec(column: "s1", regex: "[A-Z ]+[0-9]+"))),
        ]
        _ = try compare(table, steps, pii: ["s1"], seed: 77)
    }

    /// Runs both cleaners; fails with the seed, the steps and the first difference. Returns "error", "rejects" or
    /// "cleaned".
    private func compare(_ table: Table, _ steps: [CleanStep], pii: Set<String>, seed: UInt64) throws -> String {
        let context = "seed \(seed), steps \(steps.map { "\($0.action)" })"
        let want: (table: Table, report: DatasetCleaning, rejects: [CleaningReject])
        do {
            want = try ReferenceCleaner.run(table, steps: steps, dataset: "d", origin: "d.csv", definitionFile: "def.yaml", pii: pii)
        } catch let expected {
            XCTAssertThrowsError(try Cleaner.run(table, steps: steps, dataset: "d", origin: "d.csv", definitionFile: "def.yaml", pii: pii),
                                 context) { got in
                XCTAssertEqual("\(type(of: got))", "\(type(of: expected))", context)
                XCTAssertEqual("\(got)", "\(expected)", context)
            }
            return "error"
        }
        let got: Cleaner.Result
        do {
            got = try Cleaner.run(table, steps: steps, dataset: "d", origin: "d.csv", definitionFile: "def.yaml", pii: pii)
        } catch {
            XCTFail("\(context): the reference cleaned, the current code threw \(error)")
            return "error"
        }
        OracleCompare.tables(got.table, want.table, context)
        OracleCompare.rejects(got.rejects, want.rejects, context)
        XCTAssertEqual(got.report, want.report, context)
        XCTAssertEqual(CleaningReport(datasets: [got.report], rejects: got.rejects).json,
                       CleaningReport(datasets: [want.report], rejects: want.rejects).json, "cleaning.json bytes: \(context)")
        XCTAssertEqual(CleaningReport(datasets: [got.report], rejects: got.rejects).rejectsCSV,
                       CleaningReport(datasets: [want.report], rejects: want.rejects).rejectsCSV, "rejects.csv bytes: \(context)")
        for (a, b) in zip(got.report.steps, want.report.steps) where Array(a.description.utf8) != Array(b.description.utf8) {
            XCTFail("\(context): step \(a.step) description bytes differ: got \(a.description.debugDescription), expected \(b.description.debugDescription)")
        }
        return want.rejects.isEmpty ? "cleaned" : "rejects"
    }
}

/// Field-by-field comparisons that say where two results part.
enum OracleCompare {
    static func tables(_ got: Table, _ want: Table, _ context: String, file: StaticString = #filePath, line: UInt = #line) {
        guard got.columnNames == want.columnNames, got.rowCount == want.rowCount else {
            XCTFail("\(context): columns \(got.columnNames) × \(got.rowCount) rows, expected \(want.columnNames) × \(want.rowCount)",
                    file: file, line: line)
            return
        }
        for (g, w) in zip(got.columns, want.columns) {
            guard g.type == w.type else {
                XCTFail("\(context): column \(g.name) is \(g.type), expected \(w.type)", file: file, line: line); continue
            }
            for i in 0..<got.rowCount {
                let a = value(g, i), b = value(w, i)
                if a != b {
                    XCTFail("\(context): column \(g.name), row \(i): got \(a), expected \(b)", file: file, line: line)
                    break
                }
            }
        }
    }

    /// A value as an exact, printable token: missing, text bytes, a double's bits (every NaN one token), or the value.
    static func value(_ c: Column, _ i: Int) -> String {
        guard c.isValid(i) else { return "(missing)" }
        switch c.storage {
        case .integer(let v): return "\(v[i])"
        case .double(let v): return v[i].isNaN ? "NaN" : "\(v[i]) [bits \(String(v[i].bitPattern, radix: 16))]"
        case .bool(let v): return "\(v[i])"
        case .date(let v): return "\(v[i]) (\(CivilDate(days: v[i])))"
        case .string(let codes, let d): return "\(d[Int(codes[i])].debugDescription) \(Array(d[Int(codes[i])].utf8))"
        }
    }

    static func rejects(_ got: [CleaningReject], _ want: [CleaningReject], _ context: String, file: StaticString = #filePath,
                        line: UInt = #line) {
        func key(_ r: CleaningReject) -> String {
            "\(r.dataset)|\(r.line)|\(r.column)|\(r.rule)|\(r.value.debugDescription) \(Array(r.value.utf8))"
        }
        XCTAssertEqual(got.count, want.count, "\(context): number of rejects", file: file, line: line)
        if let i = (0..<min(got.count, want.count)).first(where: { key(got[$0]) != key(want[$0]) }) {
            XCTFail("\(context): reject \(i): got \(key(got[i])), expected \(key(want[i]))", file: file, line: line)
        }
    }
}
