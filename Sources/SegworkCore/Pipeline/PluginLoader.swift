import Foundation
import LuaHost
import SegworkData

/// Loads the plugins a definition names and checks they are of the kind the definition uses them as.
enum PluginLoader {
    static func load(_ file: URL, expecting kind: PluginKind, use name: String, definition: Definition, line: Int?,
                     environment: PluginEnvironment) throws -> Plugin {
        let plugin = try Plugin.load(path: file.path, environment: environment)
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

    /// What a run records about a plugin: name, kind, version, file (relative to the plugin folder it was found
    /// in, so the record does not depend on where the workspace or the current directory is), hash and params.
    static func info(_ plugin: Plugin, file: URL, params: [String: PluginValue], catalog: PluginCatalog) throws -> PluginInfo {
        PluginInfo(name: plugin.manifest.name, kind: plugin.manifest.kind.rawValue, version: plugin.manifest.version,
                   file: catalog.recordedPath(of: file), sha256: try SHA256.hex(fileAt: file.path), params: params)
    }
}
