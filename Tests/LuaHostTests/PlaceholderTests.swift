import XCTest
@testable import LuaHost
final class PluginValueTests: XCTestCase {
    func testTypeNames() { XCTAssertEqual(PluginValue.int(1).typeName, "number") }
}
