import Foundation
import LuaHost
import Yams

/// What a definition says about which copy of a plugin it wants, beside the name: the library
/// (`library: acme`) and a version range (`version: "^1.2"`). Both optional; written on a criterion, a scorer, a
/// dataset's `source:` or a `clean:` plugin step.
public struct PluginPin: Sendable, Equatable {
    /// The library the plugin must come from, by name; nil: the first plugin of that name in precedence order.
    public var library: String?
    /// The versions accepted; nil: any.
    public var version: VersionRange?
    /// Lines of `library:` and `version:` in the definition.
    public var libraryLine: Int?, versionLine: Int?

    /// No pin.
    public init() {}

    /// The keys a plugin use may carry for its pin.
    package static let keys = ["library", "version"]

    /// Reads `library:` or `version:` of a plugin use at `path`; false for any other key.
    mutating func parse(_ key: String, _ node: Node, _ path: String, _ y: YAMLFields) throws -> Bool {
        switch key {
        case "library":
            let name = try y.string(node, "\(path).library")
            guard PluginLibrary.isValidName(name) else {
                throw y.error(node, "'\(path).library' must be a library name such as acme (the name in its library.yaml; got '\(name)')")
            }
            library = name; libraryLine = node.mark?.line
            return true
        case "version":
            // `version: 1.2` is read by YAML as a number; the text as written is what counts.
            guard let text = node.scalar?.string, !text.isEmpty else {
                throw y.error(node, "'\(path).version' must be a version range such as \"^1.2\", \"~1.2.3\" or \">=1.0 <2\"")
            }
            guard let range = VersionRange(text) else {
                throw y.error(node, "'\(path).version' is not a version range (got '\(text)'); write an exact version (1.2.3), ^1.2, ~1.2.3, 1.x or comparators such as \">=1.0 <2\" (see docs/LIBRARIES.md)")
            }
            version = range; versionLine = node.mark?.line
            return true
        default:
            return false
        }
    }

    public static func == (a: PluginPin, b: PluginPin) -> Bool {
        a.library == b.library && a.version?.text == b.version?.text
    }
}
