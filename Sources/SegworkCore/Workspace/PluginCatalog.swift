import Foundation
import LuaHost
import SegworkData

/// The plugins a workspace can use: every `*.lua` file under its plugin paths, by file base name, except hidden
/// files, files under folders named `lib` (modules for `require`), `types`, `tests` or `fixtures`, and plugin tests
/// (`*.test.lua`). An earlier path wins, so a workspace's own `plugins/rfm.lua` overrides
/// the bundled one.
public struct PluginCatalog: Sendable {
    /// Name → file, first found wins.
    public private(set) var files: [String: URL] = [:]
    /// Where names come from, in search order.
    public let paths: [URL]

    /// Names found more than once inside one plugin folder (e.g. `criteria/x.lua` and `scorers/x.lua`): ambiguous.
    public private(set) var ambiguous: [String: [URL]] = [:]

    /// Scans the plugin paths.
    public init(paths: [URL]) {
        self.paths = paths
        for dir in paths {
            var here: [String: URL] = [:]
            for file in Self.luaFiles(in: dir) {
                let name = file.deletingPathExtension().lastPathComponent
                if let first = here[name] {
                    if files[name] == first { ambiguous[name, default: [first]].append(file) }
                    continue
                }
                here[name] = file
                if files[name] == nil { files[name] = file }
            }
        }
    }

    /// `file` relative to the plugin folder it is in (e.g. `criteria/rfm.lua`), or its name when outside them.
    public func recordedPath(of file: URL) -> String {
        let p = file.standardizedFileURL.path
        for dir in paths {
            let d = dir.standardizedFileURL.path + "/"
            if p.hasPrefix(d) { return String(p.dropFirst(d.count)) }
        }
        return file.lastPathComponent
    }

    /// Plugin names, sorted.
    public var names: [String] { files.keys.sorted() }

    /// The file of plugin `name`, or an error that lists the available plugins and where they were looked for.
    public func file(for name: String, usedIn definition: String, line: Int?) throws -> URL {
        if let twins = ambiguous[name] {
            throw DefinitionError(file: definition, line: line,
                                  "plugin '\(name)' is ambiguous: \(twins.map(\.path).joined(separator: " and ")) are both in one plugin folder; rename or remove one")
        }
        if let f = files[name] { return f }
        let hint = closest(name, names).map { "did you mean '\($0)'? " } ?? ""
        throw DefinitionError(file: definition, line: line,
                              "unknown plugin '\(name)'; \(hint)available: \(names.isEmpty ? "(none)" : names.joined(separator: ", ")) (searched \(paths.map(\.path).joined(separator: ", ")))")
    }

    /// Folders that hold no plugins: modules for `require`, editor types, tests and their fixtures.
    static let skippedFolders: Set<String> = ["lib", "types", "tests", "fixtures"]

    private static func luaFiles(in dir: URL) -> [URL] {
        guard let e = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil) else { return [] }
        var out: [URL] = []
        for case let url as URL in e {
            let name = url.lastPathComponent
            if skippedFolders.contains(name) || name.hasPrefix(".") { e.skipDescendants(); continue }
            if url.pathExtension == "lua", !name.hasSuffix(".test.lua") { out.append(url) }
        }
        return out.sorted { $0.path < $1.path }
    }
}
