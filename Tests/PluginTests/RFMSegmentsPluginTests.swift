import XCTest
import LuaHost

/// plugins/criteria/rfm_segments.lua against the packages: fed each package's own R, F and M scores from
/// Tests/Fixtures/rfm/expected_<preset>.csv, it must give that package's segment for every customer.
final class RFMSegmentsPluginTests: XCTestCase {
    typealias F = PluginFixture

    private func check(_ preset: String, segments: String) throws {
        let url = F.repoRoot.appendingPathComponent("Tests/Fixtures/rfm/expected_\(preset).csv")
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").dropFirst()
        var r: [Int64?] = [], f: [Int64?] = [], m: [Int64?] = [], want: [String?] = []
        for line in lines {
            let c = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            r.append(Int64(c[4])); f.append(Int64(c[5])); m.append(Int64(c[6]))
            want.append(c[8].isEmpty ? nil : c[8])  // PyPI rfm leaves an uncovered customer's segment empty
        }
        XCTAssertEqual(want.count, 60)
        let plugin = try F.load("criteria/rfm_segments.lua", overrides: ["segments": .string(segments)])
        try plugin.prepare(stats: [:])
        let got = F.labels(try plugin.assign(columns: [F.ints("r_score", r), F.ints("f_score", f), F.ints("m_score", m)],
                                             rowCount: r.count))
        XCTAssertEqual(got, want, "\(preset): segments differ")
        XCTAssertGreaterThan(Set(want.compactMap { $0 }).count, 4, "the fixture reaches several segments")
    }

    func testRFGridMap() throws { try check("rf_grid", segments: "rf_grid") }
    func testCRANMap() throws { try check("cran_rfm", segments: "cran") }
    func testPymcMap() throws { try check("pymc_marketing", segments: "pymc") }
    func testPyPIMap() throws { try check("pypi_rfm", segments: "pypi") }
}
