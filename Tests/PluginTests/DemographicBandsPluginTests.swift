import XCTest
import LuaHost

/// plugins/criteria/demographic_bands.lua: band boundaries, label text and order, Unknown, validation.
final class DemographicBandsPluginTests: XCTestCase {
    typealias F = PluginFixture

    private func prepared(_ overrides: [String: PluginValue] = [:]) throws -> Plugin {
        let plugin = try F.load("criteria/demographic_bands.lua", overrides: overrides)
        try plugin.prepare(stats: [:])
        return plugin
    }

    private func assign(_ plugin: Plugin, age: [Double?], income: [Double?]) throws -> [String?] {
        F.labels(try plugin.assign(columns: [F.doubles("age", age), F.doubles("income", income)],
                                   rowCount: age.count))
    }

    func testPrepareRecordsBandNames() throws {
        let params = try prepared().effectiveParams()
        XCTAssertEqual(F.strings(params["age_labels"]), ["A <25", "B 25-34", "C 35-49", "D 50-64", "E 65+"])
        XCTAssertEqual(F.strings(params["income_labels"]), ["A <30k", "B 30k-60k", "C 60k-100k", "D 100k+"])
    }

    func testAgeBoundsStartTheirBand() throws {
        let ages: [Double?] = [0, 24, 24.9, 25, 34, 34.9, 35, 49, 50, 64, 65, 101]
        let got = try assign(prepared(), age: ages, income: Array(repeating: 40_000, count: ages.count))
        XCTAssertEqual(got.map { $0.map { String($0.split(separator: "·")[0]) } },
                       ["A <25 ", "A <25 ", "A <25 ", "B 25-34 ", "B 25-34 ", "B 25-34 ", "C 35-49 ",
                        "C 35-49 ", "D 50-64 ", "D 50-64 ", "E 65+ ", "E 65+ "])
    }

    func testIncomeBoundsStartTheirBand() throws {
        let incomes: [Double?] = [0, 29_999.99, 30_000, 59_999, 60_000, 99_999, 100_000, 5_000_000]
        let got = try assign(prepared(), age: Array(repeating: 40, count: incomes.count), income: incomes)
        XCTAssertEqual(got, ["C 35-49 · A <30k", "C 35-49 · A <30k", "C 35-49 · B 30k-60k",
                             "C 35-49 · B 30k-60k", "C 35-49 · C 60k-100k", "C 35-49 · C 60k-100k",
                             "C 35-49 · D 100k+", "C 35-49 · D 100k+"])
    }

    func testMissingPartsAreUnknown() throws {
        let got = try assign(prepared(), age: [nil, 30, nil, Double.nan], income: [50_000, nil, nil, 50_000])
        XCTAssertEqual(got, ["Unknown · B 30k-60k", "B 25-34 · Unknown", "Unknown · Unknown",
                             "Unknown · B 30k-60k"])
    }

    func testLabelsSortByAgeBandThenIncomeBandWithUnknownLast() throws {
        let ages: [Double?] = [nil, 70, 20, 40, 30, 55]
        let incomes: [Double?] = [150_000, 10_000, nil, 70_000, 200_000, 45_000]
        var rowsAge: [Double?] = [], rowsIncome: [Double?] = []
        for a in ages { for i in incomes { rowsAge.append(a); rowsIncome.append(i) } }
        let labels = try assign(prepared(), age: rowsAge, income: rowsIncome).compactMap { $0 }
        // Sorting the text must give the same order as sorting by (age band, income band).
        let ageRank: (String) -> Int = { ["A", "B", "C", "D", "E"].firstIndex(of: String($0.prefix(1))) ?? 99 }
        let incomeRank: (String) -> Int = {
            let part = $0.components(separatedBy: " · ")[1]
            return ["A", "B", "C", "D"].firstIndex(of: String(part.prefix(1))) ?? 99
        }
        let byBands = Set(labels).sorted { (ageRank($0), incomeRank($0)) < (ageRank($1), incomeRank($1)) }
        XCTAssertEqual(Set(labels).sorted(), byBands)
        XCTAssertEqual(Set(labels).count, 30)  // 6 age parts x 5 income parts (150k and 200k share a band)
        XCTAssertEqual(Set(labels).sorted().last, "Unknown · Unknown")
    }

    func testCustomBoundsAndAmountFormats() throws {
        let plugin = try prepared(["age_bands": .array([.int(18), .int(19), .int(30)]),
                                   "income_bands": .array([.int(1_500), .int(2_000_000)])])
        let params = try plugin.effectiveParams()
        XCTAssertEqual(F.strings(params["age_labels"]), ["A <18", "B 18", "C 19-29", "D 30+"])
        XCTAssertEqual(F.strings(params["income_labels"]), ["A <1500", "B 1500-2M", "C 2M+"])
        let got = try assign(plugin, age: [18, 29.5], income: [1_500, 2_000_000])
        XCTAssertEqual(got, ["B 18 · B 1500-2M", "C 19-29 · C 2M+"])
    }

    func testBoundsMustIncrease() throws {
        let plugin = try F.load("criteria/demographic_bands.lua",
                                overrides: ["age_bands": .array([.int(30), .int(20)])])
        F.assertRuntimeError(try plugin.prepare(stats: [:]),
                             contains: "demographic_bands: age_bands must be strictly increasing")
    }

    func testBoundsMustBeWholeNumbers() throws {
        let plugin = try F.load("criteria/demographic_bands.lua",
                                overrides: ["income_bands": .array([.double(1.5)])])
        F.assertRuntimeError(try plugin.prepare(stats: [:]),
                             contains: "demographic_bands: income_bands[1] must be a whole number, got 1.5")
    }
}
