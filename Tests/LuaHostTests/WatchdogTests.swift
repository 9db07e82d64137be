import Foundation
import XCTest
@testable import LuaHost

/// The watchdog ends calls stuck inside one library call (no hook can fire there).
final class WatchdogTests: XCTestCase {
    /// A plugin whose assign runs string.find with a pattern that backtracks exponentially (n = 40 never
    /// ends in practice; n = 22 takes about half a second).
    func stuckPlugin(_ folder: PluginFolder, n: Int, after: String = "") throws -> Plugin {
        try folder.load("stuck.lua", criterion("stuck", body: """
        string.find(string.rep("a", \(n)), string.rep("a?", \(n)) .. string.rep("a", \(n)))
        \(after)
        return "done"
        """), environment: PluginEnvironment(limits: LuaLimits(instructions: 1_000_000_000, seconds: 0.01)))
    }

    func testWatchdogLimitIsFiveTimesSecondsWithAFloor() {
        XCTAssertEqual(Plugin.watchdogMinimumSeconds, 10)
        XCTAssertEqual(Plugin.watchdogLimit(for: LuaLimits(seconds: 2)), 10)
        XCTAssertEqual(Plugin.watchdogLimit(for: LuaLimits(seconds: 3)), 15)
    }

    func testReplacementHandlerIsCalledForAStuckCall() throws {
        let folder = try PluginFolder()
        let events = LockedEvents()
        Plugin.watchdogMinimumSeconds = 0.1
        Plugin.watchdogHandler = { events.append($0) }
        defer {
            Plugin.watchdogMinimumSeconds = 10
            Plugin.watchdogHandler = nil
        }
        let plugin = try stuckPlugin(folder, n: 22, after: "while true do end")
        let error = try XCTUnwrap(assignError(plugin))
        // The stuck call went on once the handler returned; its loop then ran past limits.seconds.
        XCTAssertEqual(error.reason, .timeLimit(seconds: 0.01))
        let event = try XCTUnwrap(events.all.first)
        XCTAssertEqual(events.all.count, 1)
        XCTAssertEqual(event.plugin, "stuck")
        XCTAssertEqual(event.file, plugin.path)
        XCTAssertEqual(event.limitSeconds, 0.1)
        XCTAssertGreaterThan(event.stuckSeconds, 0.1)
    }

    func testDefaultHandlerEndsTheProcessWithStatusOne() throws {
        let folder = try PluginFolder()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0])
        process.arguments = ["LuaHostTests.WatchdogTests/testChildProcessHangs"]
        process.environment = ProcessInfo.processInfo.environment.merging(["SEGWORK_WATCHDOG_CHILD": folder.path]) { $1 }
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning {
            process.terminate()
            return XCTFail("the watchdog did not end the stuck child process")
        }
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(process.terminationStatus, 1, text)
        XCTAssertTrue(text.contains("seg: error: plugin 'stuck' ("), text)
        // The row, as the caller describes it (the customer and the data line).
        XCTAssertTrue(text.contains(" for customer C1 (data/c.csv, line 2): it is stuck"), text)
        XCTAssertTrue(text.contains("stuck inside a single library call (e.g. a pattern match on a long string)"), text)
        XCTAssertTrue(text.contains("max(5 x limits.seconds, 10 s)"), text)
        XCTAssertTrue(text.contains("exit status 1"), text)
        XCTAssertFalse(text.contains("segwork:") || text.contains("string.find"), text)
    }

    /// Runs only as the child of `testDefaultHandlerEndsTheProcessWithStatusOne`.
    func testChildProcessHangs() throws {
        guard let path = ProcessInfo.processInfo.environment["SEGWORK_WATCHDOG_CHILD"] else {
            throw XCTSkip("runs only as a child process of testDefaultHandlerEndsTheProcessWithStatusOne")
        }
        Plugin.watchdogMinimumSeconds = 0.2
        Plugin.watchdogHandler = nil
        let plugin = try Plugin.load(path: path + "/stuck.lua", environment: PluginEnvironment(limits: LuaLimits(seconds: 0.01)))
        plugin.rowDescription = { " for customer C\($0 + 1) (data/c.csv, line \($0 + 2))" }
        _ = try? plugin.assign(columns: [intColumn([1])], rowCount: 1)
        XCTFail("the stuck call returned instead of ending the process")
    }

    override func setUpWithError() throws {
        if let path = ProcessInfo.processInfo.environment["SEGWORK_WATCHDOG_CHILD"], name.contains("testChildProcessHangs") {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            try criterion("stuck", body: """
            string.find(string.rep("a", 40), string.rep("a?", 40) .. string.rep("a", 40))
            return "done"
            """).write(toFile: path + "/stuck.lua", atomically: true, encoding: .utf8)
        }
    }
}

/// Watchdog events collected from the watchdog thread.
final class LockedEvents: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [WatchdogEvent] = []
    var all: [WatchdogEvent] { lock.lock(); defer { lock.unlock() }; return events }
    func append(_ event: WatchdogEvent) { lock.lock(); events.append(event); lock.unlock() }
}
