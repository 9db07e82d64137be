import Foundation
import SegworkCore
@testable import SegworkData
import XCTest

/// A `seg` process started in the background, so a test can watch it, kill it or run another one beside it.
final class SegChild {
    let process = Process()
    private let outURL: URL
    private let errURL: URL
    private let out: FileHandle
    private let err: FileHandle

    /// Starts `seg args…` (output to temporary files, so it can never block on a pipe).
    init(_ args: [String], environment: [String: String] = [:]) throws {
        let dir = FileManager.default.temporaryDirectory
        outURL = dir.appendingPathComponent("segchild-out-\(UUID().uuidString)")
        errURL = dir.appendingPathComponent("segchild-err-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        out = try FileHandle(forWritingTo: outURL)
        err = try FileHandle(forWritingTo: errURL)
        process.executableURL = SegProcess.binary
        process.arguments = args
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "SEG_PLUGIN_PATH")
        env.removeValue(forKey: "CI")
        for (k, v) in environment { env[k] = v }
        process.environment = env
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }

    /// Sends SIGKILL (a no-op when the process has already exited).
    func kill9() { if process.isRunning { _ = kill(pid, SIGKILL) } }

    /// Waits for the process and returns its status and output.
    func wait() -> SegProcess.Result {
        process.waitUntilExit()
        try? out.close(); try? err.close()
        defer { try? FileManager.default.removeItem(at: outURL); try? FileManager.default.removeItem(at: errURL) }
        let o = (try? Data(contentsOf: outURL)) ?? Data(), e = (try? Data(contentsOf: errURL)) ?? Data()
        return SegProcess.Result(status: process.terminationReason == .uncaughtSignal ? -process.terminationStatus
                                                                                       : process.terminationStatus,
                                 stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }
}

/// A five-customer shop for history tests: `tier` (a workspace plugin) labels customers Gold or Basic by what they
/// spent up to the reference date, and leaves customers without purchases unassigned.
///
/// | customer | orders | as of 2024-03-31 | as of 2024-05-10 (default: the latest order) |
/// | --- | --- | --- | --- |
/// | a | 150 on 01-10 | Gold | Gold |
/// | b | 50 on 02-10, 80 on 05-10 | Basic | Gold |
/// | c | 20 on 01-15 | Basic | Basic |
/// | d | 300 on 04-01 | (unassigned) | Gold |
/// | e | none | (unassigned) | (unassigned) |
///
/// So a diff from 2024-03-31 to the default date moves b (Basic → Gold) and d ((unassigned) → Gold): drift 2/5.
enum Shop {
    static let customers = "customer_id,age\na,30\nb,40\nc,50\nd,60\ne,70\n"
    static let transactions = """
        order_id,customer_id,order_date,amount
        1,a,2024-01-10,150
        2,b,2024-02-10,50
        3,b,2024-05-10,80
        4,c,2024-01-15,20
        5,d,2024-04-01,300

        """
    static let tierPlugin = """
        return { api = 1, kind = "criterion", name = "tier", version = "1.0.0",
          description = "Gold from a spend threshold", uses = { "monetary" }, params = { gold = 100 },
          assign = function(row, p)
            if row.monetary == nil then return nil end
            if row.monetary >= p.gold then return "Gold" end
            return "Basic"
          end }

        """

    /// A definition over the shop's data; `criteria` and `gates` are YAML blocks (indented as top-level keys).
    static func definition(criteria: String = "criteria:\n  - plugin: tier\n", scorers: String = "",
                           numeric: [String] = ["monetary"], extra: String = "") -> String {
        """
        population: customers
        id: customer_id
        datasets:
          customers:
            file: data/customers.csv
          transactions:
            file: data/transactions.csv
            schema: { order_date: date, amount: double }
        features:
          rfm:
            transactions: transactions
            customer: customer_id
            date: order_date
            amount: amount
        \(scorers)\(criteria)profile:
          numeric: [\(numeric.joined(separator: ", "))]
          monetary: monetary
        \(extra)
        """
    }

    /// A workspace with the shop's data, the `tier` plugin, `plugins` (name → Lua text) and `definitions`
    /// (name → YAML text).
    static func workspace(definitions: [String: String] = ["tiers": definition()],
                          plugins: [String: String] = [:]) throws -> TempWorkspace {
        var files = ["data/customers.csv": customers, "data/transactions.csv": transactions,
                     "plugins/tier.lua": tierPlugin]
        for (name, text) in plugins { files["plugins/\(name).lua"] = text }
        for (name, text) in definitions { files["segmentations/\(name).yaml"] = text }
        return try TempWorkspace(files: files)
    }
}

extension TempWorkspace {
    /// Wraps a folder made by something else (e.g. `seg init`); `remove()` deletes it.
    init(existing root: URL) { self.root = root }

    /// Writes (or replaces) a file of the workspace.
    func write(_ path: String, _ text: String) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    /// The bytes of a file of the workspace.
    func data(_ path: String) throws -> Data { try Data(contentsOf: root.appendingPathComponent(path)) }

    /// Opens the workspace's version store read-only, as a second opinion beside the `seg` output.
    func store() throws -> VersionStore { try VersionStore.open(workspace: root, create: false) }

    /// Rows of `seg versions` (header dropped, notes after the table left out), each split on runs of spaces:
    /// `[id, created, definition, as of, run id, inputs…, segments, customers, gates]`.
    func versionRows(definition: String? = nil, file: StaticString = #filePath, line: UInt = #line) throws -> [[String]] {
        let r = try seg(["versions", root.path] + (definition.map { ["--definition", $0] } ?? []))
        XCTAssertEqual(r.status, 0, r.stderr, file: file, line: line)
        if r.stdout.hasPrefix("no versions") { return [] }
        let table = r.stdout.components(separatedBy: "\n\n")[0]
        let lines = table.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first?.hasPrefix("VERSION"), true, r.stdout, file: file, line: line)
        return lines.dropFirst().map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
    }

    /// The run id of a stored version, from `seg versions`.
    func runID(of version: String) throws -> String {
        guard let row = try versionRows().first(where: { $0.first == version }), row.count > 4 else {
            throw NotListed(version: version)
        }
        return row[4]
    }

    /// Folder names under exports/<definition>/, hidden ones included, sorted.
    func exportFolders(_ definition: String) -> [String] {
        let dir = root.appendingPathComponent("exports/\(definition)")
        return ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).sorted()
    }
}

/// Runs `seg args…` as a user at a terminal would: with `CI` set to empty even when the tests themselves run in
/// CI (where `CI=true` would switch `seg run` to JSON output), unless `environment` sets it.
func seg(_ args: [String], environment: [String: String] = [:]) throws -> SegProcess.Result {
    try SegProcess.run(args, environment: ["CI": ""].merging(environment) { $1 })
}

/// A version the test expected is not in `seg versions` (fails the test that asked).
struct NotListed: Error, CustomStringConvertible {
    var version: String
    var description: String { "version \(version) is not listed by seg versions" }
}

/// Parses a whole string as one JSON object (fails the test when it is anything else, e.g. JSON plus chatter).
func jsonObject(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
    let value = try JSONSerialization.jsonObject(with: Data(text.utf8))
    guard let object = value as? [String: Any] else {
        XCTFail("not a JSON object: \(text)", file: file, line: line)
        return [:]
    }
    return object
}

/// The `runs` array of a CI summary.
func summaryRuns(_ summary: [String: Any]) -> [[String: Any]] { summary["runs"] as? [[String: Any]] ?? [] }

/// A reproducible pseudo-random generator (SplitMix64) for generated test data.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
