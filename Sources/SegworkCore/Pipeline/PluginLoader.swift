import Foundation
import LuaHost
import SegworkData

/// Loads the plugins a definition names, the one way for every kind (source, cleaner, scorer, criterion).
enum PluginLoader {
    /// Loads the plugin of `entry` (its `require` reaches its own library's `lib/` and the bundled one only), checks
    /// it is the `kind` and `name` the definition uses at `line` and that its version is in the `pin`'s range, and
    /// applies the definition's parameter overrides: an unknown or mistyped parameter is a definition error at that
    /// line. `fieldLines` (`params.<name>`, `params`) place a refused override at its own line rather than the plugin's.
    static func load(_ entry: PluginEntry, catalog: PluginCatalog, expecting kind: PluginKind, use name: String,
                     pin: PluginPin = PluginPin(), params: [String: PluginValue], definition: Definition, line: Int?,
                     fieldLines: [String: Int] = [:], environment: PluginEnvironment) throws -> Plugin {
        let plugin = try loadPlain(entry, catalog: catalog, environment: environment)
        guard plugin.manifest.kind == kind else {
            throw DefinitionError(file: definition.file, line: line,
                                  "plugin '\(name)' is a \(plugin.manifest.kind.rawValue), but it is used here as a \(kind.rawValue)")
        }
        guard plugin.manifest.name == name else {
            throw DefinitionError(file: definition.file, line: line,
                                  "the file \(entry.file.lastPathComponent) declares name '\(plugin.manifest.name)'; a plugin's name must match its file name")
        }
        if let range = pin.version, !(plugin.manifest.semanticVersion.map(range.contains) ?? false) {
            throw pinMismatch(plugin, entry, range, catalog: catalog, definition: definition, line: pin.versionLine ?? line,
                              environment: environment)
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

    /// Loads the plugin of `entry` in its sandbox with its own module folders, checking nothing about its use.
    static func loadPlain(_ entry: PluginEntry, catalog: PluginCatalog, environment: PluginEnvironment) throws -> Plugin {
        var env = environment
        env.libraryPaths = catalog.modulePaths(for: entry)
        env.libraryLabels = catalog.moduleLabels(for: entry)
        return try Plugin.load(path: entry.file.path, environment: env, chunkName: chunkName(entry, env))
    }

    private static func pinMismatch(_ plugin: Plugin, _ entry: PluginEntry, _ range: VersionRange, catalog: PluginCatalog,
                                    definition: Definition, line: Int?, environment: PluginEnvironment) -> DefinitionError {
        var others: [String] = []
        for other in catalog.candidates[entry.name] ?? [] where other != entry {
            guard let version = (try? loadPlain(other, catalog: catalog, environment: environment))?.manifest.semanticVersion,
                  range.contains(version) else { continue }
            others.append("\(version) in \(other.library.label) — write `library: \(other.library.name)` to use it")
        }
        let expanded = range.expanded == range.text ? "" : " (\(range.expanded))"
        return DefinitionError(file: definition.file, line: line,
                               "plugin '\(entry.name)' is pinned to version \(range.text)\(expanded), but the one found is \(plugin.manifest.version), in \(entry.library.label) at \(entry.shown); "
                               + (others.isEmpty ? "update the plugin or change the pin" : "the pin is met by \(others.joined(separator: "; "))"))
    }

    /// Runs the plugin's `prepare(stats, p)` (when it has one) on the statistics of the columns it reads, named as
    /// it names them, and returns its parameters as they stand afterwards (what the run records). Statistics of
    /// `personal` (pii) columns carry counts only: a value shown to `prepare` could be copied into the
    /// parameters, which the run records and exports.
    /// `rejected` may turn an error `prepare` raised into a definition error (a parameter override it refused).
    /// `models` (column name → value) adds a fitted model to a column's statistics: the clustering on the cluster
    /// id and label columns (`stats.<field>.clusters`, docs/CLUSTERING.md).
    static func prepare(_ plugin: Plugin, columns: [(field: String, column: Column)], personal: Set<String>,
                        models: [String: PluginValue] = [:],
                        rejected: (PluginError) -> DefinitionError? = { _ in nil }) throws -> [String: PluginValue] {
        if plugin.manifest.hasPrepare {
            var stats: [String: ColumnStatistics] = [:]
            for (field, c) in columns {
                stats[field] = personal.contains(c.name) ? c.statistics().withholdingValues() : c.statistics()
                stats[field]?.clusters = models[c.name]
            }
            do { try plugin.prepare(stats: stats) } catch let e as PluginError { throw rejected(e) ?? e }
        }
        return try plugin.effectiveParams()
    }

    /// How messages name a plugin file: its path inside the workspace (`plugins/tier.lua`); outside it, its path
    /// inside its library after `bundled:` for the bundled library (`bundled:criteria/rfm.lua`) or after the
    /// library's name (`acme:criteria/tier.lua`). Never an absolute path: a caught error used as a label would export it.
    static func chunkName(_ entry: PluginEntry, _ environment: PluginEnvironment) -> String {
        if let fixed = entry.chunkName { return fixed }
        let path = entry.file.standardizedFileURL.path
        if let root = environment.fileRoot {
            for r in [root, URL(fileURLWithPath: root).resolvingSymlinksInPath().path] {
                let prefix = URL(fileURLWithPath: r).standardizedFileURL.path + "/"
                if path.hasPrefix(prefix) { return String(path.dropFirst(prefix.count)) }
            }
        }
        return (entry.library.isBundled ? "bundled" : entry.library.name) + ":" + entry.path
    }

    /// What a run records about a plugin — name, kind, version, library, file (inside its library, so the record
    /// does not depend on where the workspace or the current directory is), hash, the modules it requires with
    /// theirs, and params — and the bytes of the plugin and its modules by hash (stored with the version).
    static func record(_ plugin: Plugin, entry: PluginEntry, params: [String: PluginValue], catalog: PluginCatalog,
                       sources: inout [String: Data]) throws -> PluginInfo {
        let bytes = try PluginFiles.read(entry.file, shown: entry.shown)
        let sha = SHA256.hex(bytes)
        sources[sha] = bytes
        var modules: [ModuleInfo] = []
        for module in try PluginFiles.modules(of: plugin, entry: entry, catalog: catalog) {
            sources[module.info.sha256] = module.bytes
            modules.append(module.info)
        }
        return PluginInfo(name: plugin.manifest.name, kind: plugin.manifest.kind.rawValue, version: plugin.manifest.version,
                          file: entry.path, sha256: sha, params: params, library: entry.library.name,
                          modules: modules.isEmpty ? nil : modules)
    }
}
