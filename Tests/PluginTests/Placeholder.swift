import XCTest
final class PluginPlaceholderTests: XCTestCase { func testNothingYet() {} }
