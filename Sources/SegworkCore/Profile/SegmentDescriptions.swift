import Foundation
import LuaHost
import SegworkData
import Yams

/// `descriptions:` on a criterion in a definition: a short description per label as the definition shows it (after
/// `labels:`), given or replacing the plugin's own (`descriptions: { "Loyal Customers": "Buy often; keep them close" }`).
public struct DescriptionOverrides: Sendable, Equatable {
    /// Shown label (NFC) → description (NFC).
    public var map: [String: String] = [:]
    /// The line of each key in the definition (for notes).
    public var lines: [String: Int] = [:]

    /// None.
    public init() {}

    /// Reads the `descriptions:` mapping at `path`: each value non-empty text on one line, at most
    /// `LabelRules.maxDescriptionLength` characters.
    static func parse(_ node: Node, _ path: String, _ y: YAMLFields) throws -> DescriptionOverrides {
        var out = DescriptionOverrides()
        for (key, value) in try y.mapping(node, path) {
            let at = "\(path).\(key)"
            let text = try y.string(value, at)
            if text.trimmingCharacters(in: .whitespaces).isEmpty {
                throw y.error(value, "'\(at)' is empty; describe in a few words what the customers of '\(key)' have in common, or leave the key out")
            }
            if text.unicodeScalars.contains(where: { TerminalText.isControl($0.value) }) {
                throw y.error(value, "'\(at)' holds a control character (tab, line break, escape…); write the description on one line")
            }
            let nfc = text.precomposedStringWithCanonicalMapping
            if nfc.unicodeScalars.count > LabelRules.maxDescriptionLength {
                throw y.error(value, "'\(at)' has \(nfc.unicodeScalars.count) characters; keep a description to \(LabelRules.maxDescriptionLength) (one short sentence)")
            }
            let label = key.precomposedStringWithCanonicalMapping
            out.map[label] = nfc
            out.lines[label] = value.mark?.line
        }
        return out
    }
}

/// The description of each segment (docs/PLUGINS.md, "Labels"): the plugin's `descriptions`, carried through the
/// definition's `labels:` renames, replaced by its `descriptions:`, then combined like the labels.
enum SegmentDescriptions {
    /// Shown label → description for one criterion: the plugin's descriptions under the names `renames` gives them
    /// (labels merged into one name: their distinct descriptions, in the plugin's label order, joined with ` / `),
    /// then `overrides` on top.
    static func criterion(_ plugin: [String: String]?, labels: [String]?, renames: LabelRenames,
                          overrides: DescriptionOverrides) -> [String: String] {
        var merged: [String: [String]] = [:]
        // The declared order decides the order of merged descriptions; every described label is declared.
        for label in labels ?? [] {
            let nfc = label.precomposedStringWithCanonicalMapping
            guard let text = plugin?[nfc] else { continue }
            let shown = renames.map[nfc] ?? nfc
            if !(merged[shown] ?? []).contains(text) { merged[shown, default: []].append(text) }
        }
        var out = merged.mapValues { $0.joined(separator: " / ") }
        for (label, text) in overrides.map { out[label] = text }
        return out
    }

    /// The description of a segment made of `parts` (one label per criterion, each with its criterion's
    /// descriptions): for `cross` the parts' descriptions joined with `; ` (parts without one left out), for
    /// `first_match` the one part's; nil when there is none.
    static func combined(_ parts: [(label: String, descriptions: [String: String])]) -> String? {
        let texts = parts.compactMap { $0.descriptions[$0.label] }
        return texts.isEmpty ? nil : texts.joined(separator: "; ")
    }
}
