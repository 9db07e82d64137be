import Foundation
import XCTest
@testable import LuaHost

/// Scores are doubles: an integer score a double cannot hold exactly (beyond ±2^53) is refused, naming the plugin
/// and the row, instead of being exported rounded.
final class ScoreIntegerTests: XCTestCase {
    var folder: PluginFolder!
    override func setUpWithError() throws { folder = try PluginFolder() }
    override func tearDown() { folder = nil }

    func testIntegersUpTo2Pow53AreExactAndBeyondAreRefused() throws {
        let plugin = try folder.load("big.lua", scorer("big", body: """
        if row.x == 1 then return 9007199254740992 end
        if row.x == 2 then return -9007199254740992 end
        if row.x == 3 then return 9007199254740993.0 end
        return 9007199254740993
        """))
        let ok = try plugin.score(columns: [intColumn([1, 2, 3])], rowCount: 3)
        XCTAssertEqual(ok.values, [9_007_199_254_740_992, -9_007_199_254_740_992, 9_007_199_254_740_992])
        XCTAssertThrowsError(try plugin.score(columns: [intColumn([1, 4])], rowCount: 2)) { error in
            let e = error as? PluginError
            XCTAssertEqual(e?.plugin, "big")
            XCTAssertEqual(e?.row, 1)
            let text = "\(error)"
            XCTAssertTrue(text.contains("plugin 'big'") && text.contains("9007199254740993")
                          && text.contains("cannot hold exactly") && text.contains("row 2"), text)
        }
    }
}
