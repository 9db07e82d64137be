import Foundation
import LuaHost
import SegworkData

/// A folder of plugins with the bundled layout (`criteria/`, `scorers/`, `sources/`, `cleaners/`, `lib/`, tests
/// beside the plugins as `*.test.lua`). A shared **library** describes itself in `library.yaml` (name, semantic
/// version, description, the host API levels it supports); a workspace's own `plugins/` folder needs none.
/// See docs/LIBRARIES.md.
public struct PluginLibrary: Sendable, Equatable {
    /// Where a library comes from, which is also its precedence: the workspace's own folders first, then the
    /// libraries `workspace.yaml` lists, in order, then `SEG_PLUGIN_PATH`, then the bundled library.
    public enum Origin: Sendable, Equatable {
        /// The workspace's own plugin folder (`plugins:` in workspace.yaml, default `plugins`).
        case workspace
        /// Listed under `libraries:` in workspace.yaml, at this line.
        case listed(line: Int?)
        /// A folder of the `SEG_PLUGIN_PATH` environment variable.
        case environment
        /// The library shipped with Segwork.
        case bundled
    }

    /// Its name: `library.yaml`'s `name`; `workspace` for a workspace's own folder without one; the folder name for
    /// a `SEG_PLUGIN_PATH` folder without one. Definitions pick a library by this name (`library: acme`).
    public var name: String
    /// Its declared version, nil when it has no `library.yaml`.
    public var version: SemanticVersion?
    /// One line for people.
    public var description: String
    /// The host API levels it supports (from `library.yaml`; a folder without one is taken as supporting this host's).
    public var apiLevels: [Int]
    /// The folder.
    public var root: URL
    /// Where it comes from.
    public var origin: Origin
    /// How messages and listings show the folder (relative to the current directory when inside it).
    public var shownRoot: String

    /// The folder `require` searches first for this library's plugins.
    public var moduleFolder: URL { root.appendingPathComponent("lib", isDirectory: true) }

    /// True for the library shipped with Segwork.
    public var isBundled: Bool { origin == .bundled }

    /// The host API levels this Segwork provides. A level only ever adds to the one before.
    public static let hostAPILevels = Array(1...Plugin.hostAPILevel)

    /// The keys `library.yaml` may hold.
    package static let knownKeys = ["name", "version", "description", "api", "homepage"]

    /// Opens the library at `root`. With `requireManifest`, a folder without `library.yaml` is an error (a library
    /// listed in workspace.yaml must say what it is); otherwise such a folder is a plain plugin folder named
    /// `fallbackName`. `listedIn` (`workspace.yaml`, line) places errors about a listed library.
    package static func open(root: URL, origin: Origin, shownRoot: String, fallbackName: String,
                             requireManifest: Bool, listedIn: (file: String, line: Int?)? = nil) throws -> PluginLibrary {
        var library = PluginLibrary(name: fallbackName, version: nil, description: "", apiLevels: hostAPILevels,
                                    root: root, origin: origin, shownRoot: shownRoot)
        var isDir: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: root.path, isDirectory: &isDir)
        if requireManifest {
            guard exists, isDir.boolValue else {
                throw DefinitionError(file: listedIn?.file ?? shownRoot, line: listedIn?.line,
                                      "library folder \(shownRoot) \(exists ? "is not a folder" : "does not exist"); check the path (it is relative to the workspace folder) or clone the library there")
            }
        }
        let manifest = root.appendingPathComponent("library.yaml")
        let shown = (shownRoot as NSString).appendingPathComponent("library.yaml")
        guard let data = FileManager.default.contents(atPath: manifest.path) else {
            if requireManifest {
                throw DefinitionError(file: listedIn?.file ?? shown, line: listedIn?.line,
                                      "\(shownRoot) has no library.yaml; a shared library describes itself with one (name, version, description, api); see docs/LIBRARIES.md")
            }
            return library
        }
        guard let text = String(data: data, encoding: .utf8) else { throw DefinitionError(file: shown, "is not UTF-8 text") }
        let y = YAMLFields(file: shown)
        var seen = Set<String>()
        for (key, node) in try y.mapping(try y.root(text), "library", known: knownKeys) {
            seen.insert(key)
            switch key {
            case "name":
                let name = try y.string(node, key)
                guard isValidName(name) else {
                    throw y.error(node, "'name' must start with a lower-case letter and use only a-z, 0-9, _ and - (got '\(name)')")
                }
                library.name = name
            case "version":
                let text = try y.string(node, key)
                guard let v = SemanticVersion(text) else {
                    throw y.error(node, "'version' must be a semantic version MAJOR.MINOR.PATCH such as 1.2.0 (got '\(text)')")
                }
                library.version = v
            case "description": library.description = try y.string(node, key)
            case "api":
                let levels: [Int]
                if case .sequence = node { levels = try y.sequence(node, key).map { try y.int($0, "api") } } else { levels = [try y.int(node, key)] }
                guard !levels.isEmpty else { throw y.error(node, "'api' must list at least one host API level, e.g. [1]") }
                guard levels.allSatisfy({ $0 >= 1 }) else { throw y.error(node, "'api' levels start at 1 (got \(levels.map(String.init).joined(separator: ", ")))") }
                guard levels.contains(where: hostAPILevels.contains) else {
                    throw y.error(node, "library '\(library.name)' needs host API level \(levels.map(String.init).joined(separator: " or ")), but this Segwork (\(segworkVersion)) provides level \(hostAPILevels.map(String.init).joined(separator: ", ")); upgrade Segwork, or use a version of the library made for level \(hostAPILevels.last!)")
                }
                library.apiLevels = levels
            default: break
            }
        }
        for required in ["name", "version", "description", "api"] where !seen.contains(required) {
            throw DefinitionError(file: shown, "is missing '\(required)'; a library.yaml needs name, version, description and api (see docs/LIBRARIES.md)")
        }
        return library
    }

    /// The name a folder without `library.yaml` gets from its folder name: lower-cased, other characters as `_`, and
    /// `lib_` in front when it would not start with a letter (`My Plugins` → `my_plugins`), so `library:` can name it.
    public static func name(forFolder folder: String) -> String {
        var out = String(folder.lowercased().unicodeScalars.map { s -> Character in
            ("a"..."z").contains(s) || ("0"..."9").contains(s) || s == "_" || s == "-" ? Character(s) : "_"
        })
        if !isValidName(out) { out = "lib_" + out }
        return isValidName(out) ? out : "lib"
    }

    /// Library names: a lower-case letter, then lower-case letters, digits, `_` and `-`.
    public static func isValidName(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, ("a"..."z").contains(first) else { return false }
        return s.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" }
    }

    /// "library acme 1.4.0 (libs/acme)", for messages.
    public var label: String {
        let kind = isBundled ? "bundled library" : origin == .workspace && version == nil ? "workspace plugins" : "library"
        return "\(kind) \(name)\(version.map { " \($0)" } ?? "") (\(shownRoot))"
    }
}
