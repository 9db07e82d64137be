import Foundation
import LuaHost
import SegworkData

/// A problem with what an author command was asked to do (an unknown plugin name, two folders, a file that
/// exists): the message says what to do; the status is `usage` (2) unless given.
package struct AuthoringError: SegworkError, CustomStringConvertible, Sendable {
    package var description: String
    package var exitStatus: ExitStatus
    package init(_ message: String, status: ExitStatus = .usage) { description = message; exitStatus = status }
}

/// The plugins one folder holds, with the limits and `require` paths to run them under.
package struct PluginScopeFolder: Sendable {
    /// Every plugin the folder resolves, by name (the winner when names are shadowed).
    package var plugins: [PluginUnderTest]
    /// Plugins of the bundled library that a workspace resolves: tested only when named.
    package var bundledNames: Set<String>
    /// The workspace's limits, or `LuaLimits.default` for a library.
    package var limits: LuaLimits
    /// Where `require` looks.
    package var libraryPaths: [String]
}

/// What `seg plugins test` runs: the plugins of one folder (a workspace or a plugin library), or some of them by name.
package struct PluginTestTargets: Sendable {
    /// The plugins to test, by name.
    package var plugins: [PluginUnderTest]
    /// The runner configured for the folder.
    package var runner: PluginTestRunner

    /// Reads the command's arguments: at most one folder (an argument with `/`, or an existing folder), default `.`,
    /// and plugin names. With names only and no workspace or library in `.`, the names are looked up in the bundled
    /// library.
    package static func resolve(_ arguments: [String]) throws -> PluginTestTargets {
        var folders: [String] = [], names: [String] = []
        for a in arguments {
            var isDir: ObjCBool = false
            if a.contains("/") || (FileManager.default.fileExists(atPath: a, isDirectory: &isDir) && isDir.boolValue) {
                folders.append(a)
            } else {
                names.append(a)
            }
        }
        guard folders.count <= 1 else {
            throw AuthoringError("give at most one folder (a workspace or a plugin library), got \(folders.joined(separator: ", "))")
        }
        var folder = folders.first ?? "."
        if folders.isEmpty, !names.isEmpty, kind(of: folder) == nil, let bundled = Workspace.bundledLibrary() {
            folder = bundled.path
        }
        let scope = try pluginScope(folder)
        let runner = PluginTestRunner(limits: scope.limits, libraryPaths: scope.libraryPaths)
        guard !names.isEmpty else {
            return PluginTestTargets(plugins: scope.plugins.filter { !scope.bundledNames.contains($0.name) }, runner: runner)
        }
        let available = scope.plugins.map(\.name)
        var chosen: [PluginUnderTest] = []
        for name in names {
            guard let p = scope.plugins.first(where: { $0.name == name }) else {
                let hint = closest(name, available).map { "did you mean '\($0)'? " } ?? ""
                throw AuthoringError("unknown plugin '\(name)' in \(folder); \(hint)available: "
                    + (available.isEmpty ? "(none)" : available.map(TerminalText.cell).joined(separator: ", ")))
            }
            if !chosen.contains(where: { $0.name == name }) { chosen.append(p) }
        }
        return PluginTestTargets(plugins: chosen, runner: runner)
    }

    /// `workspace` (has workspace.yaml), `library` (has library.yaml, or a criteria/, scorers/, sources/ or
    /// cleaners/ folder), or nil.
    package static func kind(of folder: String) -> String? {
        let fm = FileManager.default
        let root = URL(fileURLWithPath: folder)
        if fm.fileExists(atPath: root.appendingPathComponent("workspace.yaml").path) { return "workspace" }
        if (["library.yaml"] + PluginTemplate.folders.values.sorted()).contains(where: {
            fm.fileExists(atPath: root.appendingPathComponent($0).path)
        }) { return "library" }
        return nil
    }

    /// The plugins of a workspace or library folder. The one place that finds plugins for the author commands:
    /// switch it to the library-aware plugin scope when that lands.
    package static func pluginScope(_ folder: String) throws -> PluginScopeFolder {
        switch kind(of: folder) {
        case "workspace", "library":
            let scope = try PluginScope.open(folder)
            let env = PluginEnvironment(fileRoot: scope.root.path)
            var plugins: [PluginUnderTest] = [], fromBundled = Set<String>()
            for name in scope.catalog.names {
                let entry = scope.catalog.entry(name)!
                // A library on its own is tested alone; the bundled one behind it only serves its `require`.
                if entry.library.isBundled, let library = scope.library, !library.isBundled { continue }
                var plugin = PluginUnderTest(name: name, file: entry.file, shown: PluginLoader.chunkName(entry, env),
                                             libraryPaths: scope.catalog.modulePaths(for: entry))
                plugin.libraryLabels = scope.catalog.moduleLabels(for: entry)
                plugins.append(plugin)
                if entry.library.isBundled, scope.library?.isBundled != true { fromBundled.insert(name) }
            }
            return PluginScopeFolder(plugins: plugins, bundledNames: fromBundled, limits: scope.limits, libraryPaths: [])
        default:
            throw AuthoringError("\(folder) is neither a workspace (it has no workspace.yaml) nor a plugin library "
                + "(no library.yaml and no criteria/, scorers/, sources/ or cleaners/ folder); give one, or run this inside one")
        }
    }
}
