import Foundation
import CLuaSupport

/// A Lua file that returns plain data (a plugin's test cases), run in the same sandbox and under the same limits
/// as a plugin: no `io`, no `os.execute`, `require` limited to `PluginEnvironment.libraryPaths`.
public enum PluginDataFile {
    /// Runs the file in `path` in a fresh sandbox and returns what it returns, as plain data (nil, booleans,
    /// numbers, strings, lists and tables with string keys). The file may compute its value (loops, local
    /// functions); only the returned value must be plain. Throws `PluginError` naming the file and, for syntax and
    /// runtime errors, the line; a returned function, cycle or mixed table is named by its path (`[3].row.x`).
    public static func load(path: String, environment: PluginEnvironment, chunkName: String? = nil) throws -> PluginValue {
        let fileName = path.split(separator: "/").last.map(String.init) ?? path
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw PluginError(plugin: fileName, file: chunkName ?? path, reason: .unreadable("no such file or not readable"))
        }
        guard let state = PluginState(file: path, chunkName: chunkName, environment: environment,
                                      watchdogSeconds: Plugin.watchdogLimit(for: environment.limits)) else {
            throw PluginError(plugin: fileName, file: path, reason: .runtime("could not create a Lua state (out of memory)"))
        }
        try state.check(sw_load_chunk(state.host), .load)
        do {
            return try state.readSlot(Int32(SW_SLOT_MANIFEST)).plainValue(path: "")
        } catch let problem as PlainDataProblem {
            let at = problem.path.isEmpty ? "the returned value" : "'\(problem.path.hasPrefix(".") ? String(problem.path.dropFirst()) : problem.path)'"
            throw PluginError(plugin: fileName, file: state.shownFile, reason: .badManifest(
                field: "", problem: "\(at) \(problem.problem); the file must return plain data "
                    + "(booleans, numbers, strings and tables of those)"))
        }
    }
}
