import Foundation
import LuaHost

/// Loads the plugins a definition names and checks they are of the kind the definition uses them as.
enum PluginLoader {
    static func load(_ file: URL, expecting kind: PluginKind, use name: String, definition: Definition, line: Int?,
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
        return plugin
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
