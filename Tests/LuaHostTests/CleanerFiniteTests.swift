import XCTest
@testable import LuaHost

/// A cleaner may not put NaN or an infinity into a double column: the next plugin and the statistics would see it.
final class CleanerFiniteTests: XCTestCase {
    func testNaNAndInfinityInADoubleColumnAreBadReturnsNamingTheRow() throws {
        let folder = try PluginFolder()
        for (value, shown) in [("0/0", "nan"), ("1/0", "inf"), ("-math.huge", "inf")] {
            let plugin = try folder.load("f.lua", cleaner("f", uses: ["x"], body: """
            if row.x == 2 then row.x = \(value) end
            return row
            """))
            let column = ColumnInput(name: "x", values: .double([1, 2, 3]), validity: nil)
            XCTAssertThrowsError(try plugin.clean(columns: [column], rowCount: 3)) { error in
                let e = error as? PluginError
                XCTAssertEqual(e?.row, 1, value)
                let text = "\(error)"
                XCTAssertTrue(text.contains("plugin 'f'") && text.contains("not a finite number") && text.contains(shown),
                              text)
            }
            // A finite value is fine.
            let ok = try folder.load("g.lua", cleaner("g", uses: ["x"], body: "row.x = row.x * 2 return row"))
            guard case .double(let doubled) = try ok.clean(columns: [column], rowCount: 3).columns[0].values else {
                return XCTFail("not double")
            }
            XCTAssertEqual(doubled, [2, 4, 6])
        }
    }
}
