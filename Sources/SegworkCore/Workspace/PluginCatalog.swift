import Foundation
import LuaHost

/// The plugins a workspace can use: every `*.lua` file under its plugin paths (except `lib/` folders, which hold
/// modules for `require`), by file base name. An earlier path wins, so a workspace's own `plugins/rfm.lua` overrides
/// the bundled one.
public struct PluginCatalog: Sendable {
    /// Name → file, first found wins.
    public private(set) var files: [String: URL] = [:]
    /// Where names come from, in search order.
    public let paths: [URL]

    /// Scans the plugin paths.
    public init(paths: [URL]) {
        self.paths = paths
        for dir in paths {
            for file in Self.luaFiles(in: dir) {
                let name = file.deletingPathExtension().lastPathComponent
                if files[name] == nil { files[name] = file }
            }
        }
    }

    /// Plugin names, sorted.
    public var names: [String] { files.keys.sorted() }

    /// The file of plugin `name`, or an error that lists the available plugins and where they were looked for.
    public func file(for name: String, usedIn definition: String, line: Int?) throws -> URL {
        if let f = files[name] { return f }
        let hint = closest(name, names).map { "did you mean '\($0)'? " } ?? ""
        throw DefinitionError(file: definition, line: line,
                              "unknown plugin '\(name)'; \(hint)available: \(names.isEmpty ? "(none)" : names.joined(separator: ", ")) (searched \(paths.map(\.path).joined(separator: ", ")))")
    }

    private static func luaFiles(in dir: URL) -> [URL] {
        guard let e = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil) else { return [] }
        var out: [URL] = []
        for case let url as URL in e {
            if url.lastPathComponent == "lib" || url.lastPathComponent.hasPrefix(".") { e.skipDescendants(); continue }
            if url.pathExtension == "lua" { out.append(url) }
        }
        return out.sorted { $0.path < $1.path }
    }
}
