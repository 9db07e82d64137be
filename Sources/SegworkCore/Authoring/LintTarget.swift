import Foundation
import LuaHost
import SegworkData

/// What `seg plugins lint` looks at: a workspace (has workspace.yaml) or a plugin library (has library.yaml, or the
/// bundled layout: criteria/, scorers/, sources/, cleaners/), and the plugins in it, optionally only those named.
package struct LintTarget {
    /// The workspace, when the folder is one (the rule-set checks run on its definitions).
    package var workspace: Workspace?
    /// Plugin folders, in search order.
    package var pluginPaths: [URL]
    /// The sandbox the plugins are loaded in.
    package var environment: PluginEnvironment
    /// How to show a folder's files: the folder as the user gave it (a library), or the workspace's display.
    let root: URL
    let shownRoot: String

    /// Subfolders that make a folder a plugin library without library.yaml.
    static let layout = ["criteria", "scorers", "sources", "cleaners"]

    /// Opens `folder` (as given by the user).
    package init(folder: String) throws {
        let url = URL(fileURLWithPath: folder, isDirectory: true).standardizedFileURL
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: url.path, isDirectory: &isDir), isDir.boolValue else {
            throw LintUsageError("\(folder): no such folder; give a workspace, a plugin library or a plugin name")
        }
        root = url
        shownRoot = folder == "." ? "" : (folder.hasSuffix("/") ? folder : folder + "/")
        if fm.fileExists(atPath: url.appendingPathComponent("workspace.yaml").path) {
            let ws = try Workspace.open(folder)
            workspace = ws
            pluginPaths = ws.pluginPaths
            environment = PluginEnvironment(limits: ws.limits, libraryPaths: ws.libraryPaths, fileRoot: ws.root.path)
        } else if fm.fileExists(atPath: url.appendingPathComponent("library.yaml").path)
                    || Self.layout.contains(where: { fm.fileExists(atPath: url.appendingPathComponent($0).path) }) {
            pluginPaths = [url]
            var libs = [url.appendingPathComponent("lib").path]
            if let bundled = Workspace.bundledLibrary(), bundled.standardizedFileURL.path != url.path {
                libs.append(bundled.appendingPathComponent("lib").path)
            }
            environment = PluginEnvironment(limits: .default, libraryPaths: libs, fileRoot: url.path)
        } else {
            throw LintUsageError("\(folder) is neither a workspace (no workspace.yaml) nor a plugin library (no library.yaml, criteria/, scorers/, sources/ or cleaners/)")
        }
    }

    /// The plugins to lint: name → file. Discovery is this one function (the lead switches it to `PluginScope`).
    /// Files under lib/, types/, tests/ or fixtures/, hidden files and `*.test.lua` are not plugins.
    package func plugins(named names: [String]) throws -> [(name: String, file: URL)] {
        let catalog = PluginCatalog(paths: pluginPaths)
        let skipped: Set<String> = ["lib", "types", "tests", "fixtures"]
        let all = catalog.files.filter { _, url in
            !url.lastPathComponent.hasSuffix(".test.lua") && !url.lastPathComponent.hasPrefix(".")
                && !url.pathComponents.contains { skipped.contains($0) }
        }
        if names.isEmpty { return all.keys.sorted().map { ($0, all[$0]!) } }
        return try names.map { name in
            guard let file = all[name] else {
                let hint = closest(name, all.keys.sorted()).map { "did you mean '\($0)'? " } ?? ""
                throw LintUsageError("no plugin named '\(name)'; \(hint)available: \(all.keys.sorted().joined(separator: ", "))")
            }
            return (name, file)
        }
    }

    /// How messages name `file`: inside the workspace, its workspace path (`plugins/x.lua`, `bundled:criteria/rfm.lua`
    /// for the bundled library); in a library, the folder as the user gave it followed by the path inside it.
    package func shown(_ file: URL) -> String {
        if workspace != nil { return PluginLoader.chunkName(file, environment) }
        let p = file.standardizedFileURL.path, r = root.path + "/"
        return p.hasPrefix(r) ? shownRoot + p.dropFirst(r.count) : PluginLoader.chunkName(file, environment)
    }
}

/// A lint target or name that does not exist: a usage error (exit 2).
package struct LintUsageError: SegworkError, CustomStringConvertible {
    /// The message.
    package var description: String
    /// Exit status 2.
    package var exitStatus: ExitStatus { .usage }
    init(_ message: String) { description = message }
}
