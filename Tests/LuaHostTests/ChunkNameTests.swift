import Foundation
import XCTest
@testable import LuaHost

/// How Lua names a plugin's file in messages: never by an absolute path (a caught message can become a label).
final class ChunkNameTests: XCTestCase {
    var folder: PluginFolder!
    override func setUpWithError() throws { folder = try PluginFolder() }
    override func tearDown() { folder = nil }

    /// The label of one row (x = 1) assigned by `plugin`.
    private func label(_ plugin: Plugin) throws -> String {
        let result = try plugin.assign(columns: [intColumn([1])], rowCount: 1)
        return result.labels[Int(result.codes[0])]
    }

    private let catching = criterion("probe", body: "local ok, m = pcall(function() error('caught') end)\nreturn m")

    func testCaughtMessagesNameThePluginInsideTheFileRootOrByItsName() throws {
        let inRoot = try Plugin.load(path: folder.write("plugins/probe.lua", catching),
                                     environment: PluginEnvironment(fileRoot: folder.path))
        XCTAssertEqual(try label(inRoot), "plugins/probe.lua:6: caught")
        let noRoot = try Plugin.load(path: folder.write("elsewhere/probe.lua", catching))
        XCTAssertEqual(try label(noRoot), "probe.lua:6: caught")
        let named = try Plugin.load(path: folder.write("lib2/probe.lua", catching), chunkName: "bundled:criteria/probe.lua")
        XCTAssertEqual(try label(named), "bundled:criteria/probe.lua:6: caught")
        XCTAssertFalse(try label(noRoot).contains(folder.path))
    }

    func testErrorLinesAreStillFoundAndABOMAndAShebangLineAreSkipped() throws {
        let text = "\u{FEFF}#!/usr/bin/env lua\n" + criterion("probe", body: "error('boom')")
        let plugin = try Plugin.load(path: folder.write("plugins/probe.lua", text), environment: PluginEnvironment(fileRoot: folder.path))
        let error = try XCTUnwrap(assignError(plugin))
        XCTAssertEqual(error.line, 7, "the shebang line counts, as in lua itself")
        XCTAssertEqual(error.reason, .runtime("boom"))
    }
}
