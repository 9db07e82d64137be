import Foundation
import LuaHost
import SegworkData

/// Loads the plugins a definition names, the one way for every kind (source, cleaner, scorer, criterion).
enum PluginLoader {
    /// Loads the plugin in `file`, checks it is the `kind` and `name` the definition uses at `line`, and applies the
    /// definition's parameter overrides: an unknown or mistyped parameter is a definition error at that line.
    /// `fieldLines` (`params.<name>`, `params`) place a refused override at its own line rather than the plugin's.
    static func load(_ file: URL, expecting kind: PluginKind, use name: String, params: [String: PluginValue],
                     definition: Definition, line: Int?, fieldLines: [String: Int] = [:],
                     environment: PluginEnvironment) throws -> Plugin {
        let plugin = try Plugin.load(path: file.path, environment: environment, chunkName: chunkName(file, environment))
        guard plugin.manifest.kind == kind else {
            throw DefinitionError(file: definition.file, line: line,
                                  "plugin '\(name)' is a \(plugin.manifest.kind.rawValue), but it is used here as a \(kind.rawValue)")
        }
        guard plugin.manifest.name == name else {
            throw DefinitionError(file: definition.file, line: line,
                                  "the file \(file.lastPathComponent) declares name '\(plugin.manifest.name)'; a plugin's name must match its file name")
        }
        do { try plugin.configure(overrides: params) } catch let e as PluginError {
            if case .badParam(let param, _) = e.reason {
                let at = fieldLines["params.\(param.split(separator: ".").first.map(String.init) ?? param)"] ?? fieldLines["params"] ?? line
                throw DefinitionError(file: definition.file, line: at, "\(e)")
            }
            throw e
        }
        return plugin
    }

    /// Runs the plugin's `prepare(stats, p)` (when it has one) on the statistics of the columns it reads, named as
    /// it names them, and returns its parameters as they stand afterwards (what the run records). Statistics of
    /// `personal` (pii) columns carry counts only: a value shown to `prepare` could be copied into the
    /// parameters, which the run records and exports.
    /// `rejected` may turn an error `prepare` raised into a definition error (a parameter override it refused).
    static func prepare(_ plugin: Plugin, columns: [(field: String, column: Column)], personal: Set<String>,
                        rejected: (PluginError) -> DefinitionError? = { _ in nil }) throws -> [String: PluginValue] {
        if plugin.manifest.hasPrepare {
            var stats: [String: ColumnStatistics] = [:]
            for (field, c) in columns {
                stats[field] = personal.contains(c.name) ? c.statistics().withholdingValues() : c.statistics()
            }
            do { try plugin.prepare(stats: stats) } catch let e as PluginError { throw rejected(e) ?? e }
        }
        return try plugin.effectiveParams()
    }

    /// How messages name a plugin file: its path inside the workspace (`plugins/tier.lua`); outside it, its path
    /// inside the plugin folder it was found in, after `bundled:` for the bundled library (`bundled:criteria/rfm.lua`)
    /// or after that folder's name. Never an absolute path: a caught error used as a label would export it.
    static func chunkName(_ file: URL, _ environment: PluginEnvironment) -> String {
        let path = file.standardizedFileURL.path
        if let root = environment.fileRoot {
            for r in [root, URL(fileURLWithPath: root).resolvingSymlinksInPath().path] {
                let prefix = URL(fileURLWithPath: r).standardizedFileURL.path + "/"
                if path.hasPrefix(prefix) { return String(path.dropFirst(prefix.count)) }
            }
        }
        let bundled = Workspace.bundledLibrary()?.standardizedFileURL.path
        for lib in environment.libraryPaths {
            let folder = URL(fileURLWithPath: lib).deletingLastPathComponent().standardizedFileURL
            let prefix = folder.path + "/"
            guard path.hasPrefix(prefix) else { continue }
            return (folder.path == bundled ? "bundled" : folder.lastPathComponent) + ":" + path.dropFirst(prefix.count)
        }
        return file.lastPathComponent
    }

    /// What a run records about a plugin: name, kind, version, file (relative to the plugin folder it was found
    /// in, so the record does not depend on where the workspace or the current directory is), hash and params.
    static func info(_ plugin: Plugin, file: URL, params: [String: PluginValue], catalog: PluginCatalog) throws -> PluginInfo {
        PluginInfo(name: plugin.manifest.name, kind: plugin.manifest.kind.rawValue, version: plugin.manifest.version,
                   file: catalog.recordedPath(of: file), sha256: try SHA256.hex(fileAt: file.path), params: params)
    }
}
