import Foundation
import XCTest
import CLuaSupport
@testable import LuaHost

/// Text leaving a plugin (labels, parameters, prepared values, manifest fields) must be valid UTF-8:
/// bad bytes are an error, never silently replaced (which would make different labels equal).
final class TextTests: XCTestCase {
    var folder: PluginFolder!
    override func setUpWithError() throws { folder = try PluginFolder() }
    override func tearDown() { folder = nil }

    func testInvalidLabelIsABadReturnForItsRow() throws {
        let plugin = try folder.load("latin1.lua", criterion("latin1", body: """
        if row.x == 1 then return 'Caf\\xC3\\xA9' end
        if row.x == 2 then return 'Caf\\xE9' end
        return 'Caf\\xE8'
        """))
        let error = try XCTUnwrap(assignError(plugin, columns: [intColumn([1, 2, 3])], rows: 3))
        XCTAssertEqual(error.reason, .badReturn(field: "assign", expected: "labels as valid UTF-8 text",
                                                got: "label that is not valid UTF-8 (\"Caf\\xE9\")"))
        XCTAssertEqual(error.row, 1)
        var withCustomer = error
        withCustomer.customerID = "C2"
        XCTAssertEqual(withCustomer.description, "plugin 'latin1' (\(plugin.path)) returned a label that is not valid UTF-8 (\"Caf\\xE9\") "
            + "from assign for customer C2 (row 2); assign must return labels as valid UTF-8 text")
        // Valid labels, including multi-byte ones, still come through unchanged.
        let good = try folder.load("good.lua", criterion("good", body: "return row.x == 1 and 'Caf\\xC3\\xA9' or utf8.char(0x1F600)"))
        XCTAssertEqual(try good.assign(columns: [intColumn([1, 2, 1])], rowCount: 3).labels, ["Café", "😀"])
    }

    func testShownBytesEscapeControlsQuotesAndCutLongText() throws {
        func shown(_ bytes: [UInt8]) -> String {
            var out = [CChar](repeating: 0, count: Int(SW_SHOW_BYTES_MAX))
            bytes.withUnsafeBufferPointer { p in
                p.withMemoryRebound(to: CChar.self) { _ = sw_show_bytes($0.baseAddress, bytes.count, &out) }
            }
            return String(cString: out)
        }
        XCTAssertEqual(shown(Array("a\"b\\c\n".utf8) + [0xED, 0xA0, 0x80] + Array("é".utf8)), "\"a\\\"b\\\\c\\x0A\\xED\\xA0\\x80é\"")
        XCTAssertEqual(shown([UInt8](repeating: 0xFF, count: 61)), "\"" + String(repeating: "\\xFF", count: 60) + "\"...")
        XCTAssertEqual(sw_utf8_valid("\u{10FFFF}", 4), 1)
        XCTAssertEqual([UInt8]([0xF4, 0x90, 0x80, 0x80]).withUnsafeBufferPointer { p in
            p.withMemoryRebound(to: CChar.self) { sw_utf8_valid($0.baseAddress, 4) }
        }, 0)
        XCTAssertEqual([UInt8]([0xC0, 0xAF]).withUnsafeBufferPointer { p in
            p.withMemoryRebound(to: CChar.self) { sw_utf8_valid($0.baseAddress, 2) }
        }, 0)
    }

    func testInvalidParamsAndPreparedValuesAreRefused() throws {
        XCTAssertThrowsError(try folder.load("d.lua", criterion("d", params: "{ labels = { 'ok', 'L\\xE9' } }", body: "return nil"))) { error in
            XCTAssertEqual((error as? PluginError)?.reason, .badManifest(field: "params", problem:
                "entry 'labels[2]' is a string that is not valid UTF-8 (\"L\\xE9\"); defaults must be plain data "
                + "(booleans, numbers, strings and tables of those)"))
        }
        let prepared = try folder.load("p.lua", scorer("p", body: "return 1", prepare: "return { cut = 'x\\xFF' }"))
        try prepared.prepare(stats: [:])
        XCTAssertThrowsError(try prepared.effectiveParams()) { error in
            XCTAssertEqual((error as? PluginError)?.reason, .badParam(name: "cut", problem:
                "is a string that is not valid UTF-8 (\"x\\xFF\"); p may only hold plain data (booleans, numbers, strings and tables of those)"))
        }
        let key = try folder.load("k.lua", scorer("k", body: "return 1", prepare: "return { nested = { ['k\\xFF'] = 1 } }"))
        try key.prepare(stats: [:])
        XCTAssertThrowsError(try key.effectiveParams()) { error in
            XCTAssertEqual((error as? PluginError)?.reason, .badParam(name: "nested", problem:
                "has a key that is not valid UTF-8 (\"k\\xFF\"); p may only hold plain data (booleans, numbers, strings and tables of those)"))
        }
        XCTAssertThrowsError(try folder.load("n.lua", criterion("n", body: "return nil")
            .replacingOccurrences(of: "description = \"test\"", with: "description = \"caf\\xE9\""))) { error in
            XCTAssertEqual((error as? PluginError)?.reason, .badManifest(field: "description", problem:
                "is not valid UTF-8 text (got \"caf\\xE9\"); save the plugin file as UTF-8"))
        }
    }
}
