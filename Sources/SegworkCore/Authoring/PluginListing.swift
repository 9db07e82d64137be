import Foundation
import LuaHost
import SegworkData

/// What `seg plugins list` and `seg plugins info` show about one plugin: where it is, what it declares, what it
/// shadows. A plugin that does not load is listed with its error.
public struct PluginListing: Codable, Sendable, Equatable {
    /// The plugin's name.
    public var name: String
    /// `criterion`, `scorer`, `source` or `cleaner`; nil when it does not load.
    public var kind: String?
    /// Its declared version; nil when it does not load.
    public var version: String?
    /// The library it is in.
    public var library: String
    /// The library's version, when it has a library.yaml.
    public var libraryVersion: String?
    /// Its file as the user sees it (relative to the current directory when inside it).
    public var path: String
    /// Its file inside its library (`criteria/nps.lua`).
    public var file: String
    /// One line from the plugin.
    public var description: String?
    /// The plugins of the same name further down the precedence order, which this one hides.
    public var shadows: [Shadowed]
    /// Why it does not load, when it does not.
    public var error: String?

    /// A plugin hidden by the listed one.
    public struct Shadowed: Codable, Sendable, Equatable {
        /// Its library.
        public var library: String
        /// Its file as the user sees it.
        public var path: String
        /// Its declared version, when it loads.
        public var version: String?
    }

    enum CodingKeys: String, CodingKey {
        case name, kind, version, library, path, file, description, shadows, error
        case libraryVersion = "library_version"
    }

    /// The listing of every plugin name in `scope` (the one a definition gets when it names no library), sorted.
    public static func all(in scope: PluginScope) -> [PluginListing] {
        scope.catalog.names.map { listing(scope.catalog.entry($0)!, in: scope) }
    }

    /// The listing of one plugin.
    public static func listing(_ entry: PluginEntry, in scope: PluginScope) -> PluginListing {
        var out = PluginListing(name: entry.name, kind: nil, version: nil, library: entry.library.name,
                                libraryVersion: entry.library.version?.description, path: entry.shown, file: entry.path,
                                description: nil, shadows: [], error: nil)
        do {
            let m = try scope.load(entry).manifest
            out.kind = m.kind.rawValue; out.version = m.version; out.description = m.description
            if m.name != entry.name {
                out.error = "declares name '\(m.name)', but definitions find plugins by file name ('\(entry.name)'); rename the file or the name so they match"
            }
        } catch {
            out.error = ExitStatus.message(for: error)
        }
        if let twins = scope.catalog.ambiguous[entry.name] {
            out.error = "ambiguous: \(twins.map { Workspace.display($0) }.joined(separator: " and ")) are in one library; rename or remove one"
        }
        out.shadows = (scope.catalog.candidates[entry.name] ?? []).filter { $0 != entry }.map { hidden in
            Shadowed(library: hidden.library.name, path: hidden.shown,
                     version: (try? scope.load(hidden))?.manifest.version)
        }
        return out
    }
}
