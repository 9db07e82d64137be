import Foundation
import LuaHost
import SegworkData

/// The folder the plugin commands (`seg plugins list|info|test|lint|lock|new`) work on: a workspace (its own
/// plugins, its libraries, `SEG_PLUGIN_PATH`, the bundled library) or one library on its own (with the bundled
/// library behind it, as a workspace would see it).
public struct PluginScope: Sendable {
    /// The workspace, when the folder is one.
    public let workspace: Workspace?
    /// The library, when the folder is one (not a workspace).
    public let library: PluginLibrary?
    /// The plugins in reach.
    public let catalog: PluginCatalog
    /// Limits for every plugin call (the workspace's, else the defaults).
    public let limits: LuaLimits
    /// The folder (workspace or library).
    public let root: URL

    /// Opens `path`: a workspace when it holds `workspace.yaml`, a library when it holds `library.yaml` or any of
    /// the plugin folders (`criteria/`, `scorers/`, `sources/`, `cleaners/`).
    public static func open(_ path: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> PluginScope {
        let root = URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL
        let fm = FileManager.default
        if fm.fileExists(atPath: root.appendingPathComponent("workspace.yaml").path) {
            let ws = try Workspace.open(path, environment: environment)
            return PluginScope(workspace: ws, library: nil, catalog: ws.catalog, limits: ws.limits, root: ws.root)
        }
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: root.path, isDirectory: &isDir), isDir.boolValue else {
            throw DefinitionError(file: path, "is not a folder; give a workspace (with workspace.yaml) or a plugin library (with library.yaml)")
        }
        let hasManifest = fm.fileExists(atPath: root.appendingPathComponent("library.yaml").path)
        let layout = ["criteria", "scorers", "sources", "cleaners"].contains { fm.fileExists(atPath: root.appendingPathComponent($0).path) }
        guard hasManifest || layout else {
            throw DefinitionError(file: path, "is neither a workspace (it has no workspace.yaml) nor a plugin library (no library.yaml, no criteria/, scorers/, sources/ or cleaners/); run the command in one, or name one")
        }
        let shown = display(root)
        let bundled = Workspace.bundledLibrary(environment: environment)
        let isBundled = bundled.map { $0.resolvingSymlinksInPath().path == root.resolvingSymlinksInPath().path } ?? false
        let library = try PluginLibrary.open(root: root, origin: isBundled ? .bundled : .listed(line: nil), shownRoot: shown,
                                             fallbackName: isBundled ? "segwork" : root.lastPathComponent,
                                             requireManifest: false)
        var libraries = [library]
        if let bundled, !isBundled {
            libraries.append(try PluginLibrary.open(root: bundled, origin: .bundled, shownRoot: display(bundled),
                                                    fallbackName: "segwork", requireManifest: false))
        }
        return PluginScope(workspace: nil, library: library, catalog: PluginCatalog(libraries: libraries), limits: .default, root: root)
    }

    /// The environment a plugin of `entry` runs in: the scope's limits, its library's modules, files read inside the
    /// scope's folder.
    public func environment(for entry: PluginEntry, log: @escaping @Sendable (String, String) -> Void = PluginEnvironment.standardErrorLog) -> PluginEnvironment {
        var env = PluginEnvironment(limits: limits, libraryPaths: catalog.modulePaths(for: entry), fileRoot: root.path, log: log)
        env.libraryLabels = catalog.moduleLabels(for: entry)
        return env
    }

    /// Loads the plugin of `entry` in its sandbox (nothing configured beyond its defaults).
    public func load(_ entry: PluginEntry) throws -> Plugin {
        try PluginLoader.loadPlain(entry, catalog: catalog, environment: environment(for: entry))
    }

    /// The plugins the command means: `names` (each must exist; an unknown one is an error listing the available
    /// ones), or when none are given every plugin of the scope's own folder (a workspace: its own plugins and its
    /// listed libraries; a library: itself) — the bundled library only when it is the folder.
    public func entries(named names: [String]) throws -> [PluginEntry] {
        if names.isEmpty {
            let own = catalog.libraries.filter { scopeOwns($0) }
            return catalog.names.flatMap { name in (catalog.candidates[name] ?? []).filter { e in own.contains { $0.root == e.library.root } }.prefix(1) }
        }
        return try names.map { name in
            guard let entry = catalog.entry(name) else {
                let hint = closest(name, catalog.names).map { "did you mean '\($0)'? " } ?? ""
                throw DefinitionError(file: Self.display(root), "has no plugin '\(name)'; \(hint)available: \(catalog.names.map(TerminalText.cell).joined(separator: ", "))")
            }
            return entry
        }
    }

    private func scopeOwns(_ library: PluginLibrary) -> Bool {
        if workspace != nil { return !library.isBundled && library.origin != .environment }
        return library.root == root
    }

    /// Splits command arguments into the folder (at most one; default `.`) and plugin names: an argument is a
    /// folder when it contains `/` or names an existing directory, else a plugin name.
    public static func targets(_ arguments: [String]) throws -> (folder: String, names: [String]) {
        var folder: String?
        var names: [String] = []
        for a in arguments {
            var isDir: ObjCBool = false
            if a.contains("/") || a == "." || a == ".." || (FileManager.default.fileExists(atPath: a, isDirectory: &isDir) && isDir.boolValue) {
                if let f = folder { throw DefinitionError(file: a, "is a second folder (\(f) was the first); give one workspace or library, then plugin names") }
                folder = a
            } else {
                names.append(a)
            }
        }
        return (folder ?? ".", names)
    }

    static func display(_ url: URL) -> String { Workspace.display(url) }
}
