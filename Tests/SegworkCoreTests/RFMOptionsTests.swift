import XCTest
@testable import SegworkCore
@testable import SegworkData

/// `features.rfm` options: parsing (with errors at the YAML line), presets merged under explicit options, and the
/// frequency and monetary choices on a small hand-checked log.
final class RFMOptionsTests: XCTestCase {
    private func definition(_ options: String) throws -> Definition {
        try Definition.parse(text: """
            population: c
            id: id
            datasets:
              c: { file: c.csv }
              t: { file: t.csv }
            features:
              rfm:
                transactions: t
                customer: id
                date: d
                amount: a
            \(options.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
            criteria: [x]
            """, file: "d.yaml", defaultName: "d")
    }

    func testOptionsParseAndOverrideThePreset() throws {
        let o = try XCTUnwrap(try definition("preset: cran_rfm\ncompose: sum\nreference: day_after\ncuts: { recency: [30, 90] }").rfm).options
        XCTAssertEqual(o.preset, .cranRFM)
        let m = o.merged()
        XCTAssertEqual(m.compose, .sum, "an option next to a preset wins")
        XCTAssertEqual(m.reference, .dayAfter)
        XCTAssertEqual(m.ties, .shared, "the rest comes from the preset")
        XCTAssertEqual(m.breakOffset, 1)
        XCTAssertEqual(o.cuts["recency"], [30, 90])
        XCTAssertTrue(o.scoresOn)
        XCTAssertFalse(try XCTUnwrap(try definition("frequency: days").rfm).options.scoresOn,
                       "frequency and monetary alone add no score columns")
        XCTAssertEqual(try XCTUnwrap(try definition("reference: 2024-06-30").rfm).options.reference,
                       .date(CivilDate(iso: "2024-06-30")!))
    }

    func testBadOptionsAreErrorsAtTheirLine() throws {
        for (option, message) in [("ties: shard", "did you mean 'shared'?"),
                                  ("bins: 12", "from 2 to 9"),
                                  ("reference: yesterday", "use last, day_after or a date YYYY-MM-DD"),
                                  ("frequency: orders", "'features.rfm.order' is not set"),
                                  ("cuts: { recency: [90, 30] }", "ascending order"),
                                  ("cuts: { recncy: [1] }", "did you mean 'recency'?")] {
            XCTAssertThrowsError(try definition(option), option) { e in
                let text = "\(e)"
                XCTAssertTrue(text.contains("d.yaml:12") && text.contains(message), "\(option): \(text)")
            }
        }
    }

    /// c1 buys on 2024-01-01 (Monday) twice, 2024-01-07 (Sunday), 2024-01-08 (Monday) and 2025-02-01.
    private func compute(_ configure: (inout RFMOptions) -> Void) throws -> (frequency: Double?, monetary: Double?) {
        let days = ["2024-01-01", "2024-01-01", "2024-01-07", "2024-01-08", "2025-02-01"].map { CivilDate(iso: Substring($0))!.days }
        let tx = try Table(columns: [
            Column(name: "id", storage: .string(codes: [0, 0, 0, 0, 0], dictionary: ["c1"])),
            Column(name: "d", storage: .date(days)),
            Column(name: "a", storage: .double([10, 20, 30, 40, 100])),
        ])
        var spec = RFMSpec(transactions: "t", customer: "id", order: nil, date: "d", amount: "a")
        configure(&spec.options)
        let r = try RFMFeature.compute(ids: Column(name: "id", storage: .string(codes: [0], dictionary: ["c1"])),
                                       idOrigin: "c", transactions: tx, origin: "t", spec: spec, asOf: nil)
        return (r.columns[1].double(at: 0), r.columns[2].double(at: 0))
    }

    func testFrequencyPeriodsAndMeanMonetary() throws {
        XCTAssertEqual(try compute { $0.frequency = .rows }.frequency, 5)
        XCTAssertEqual(try compute { $0.frequency = .days }.frequency, 4)
        XCTAssertEqual(try compute { $0.frequency = .weeks }.frequency, 3, "Mon 1 Jan and Sun 7 Jan are one week")
        XCTAssertEqual(try compute { $0.frequency = .months }.frequency, 2)
        XCTAssertEqual(try compute { $0.frequency = .years }.frequency, 2)
        XCTAssertEqual(try compute { $0.monetary = .mean; $0.frequency = .days }.monetary, 50, "200 over 4 days")
        XCTAssertEqual(try compute { $0.monetary = .sum }.monetary, 200)
    }
}
