import Foundation

/// What the host accepts as a segment label from a criterion's `assign` (docs/PLUGINS.md, "Labels"), applied
/// to every `Plugin.assign` result before anyone else sees it:
///
/// - labels are normalised to Unicode NFC, so `café` precomposed and `cafe` + combining accent are one label
///   (and one segment); their codes are merged;
/// - a label holds no control character (`TerminalText.isControl`: C0 such as NUL, ESC, CR, LF and tab; DEL;
///   C1; bidirectional marks, embeddings, overrides and isolates; line and paragraph separators);
/// - a label has at most `maxLength` characters (Unicode code points);
/// - a criterion gives at most `LuaLimits.segments` distinct labels.
///
/// A breach is a `PluginError` naming the plugin, and the customer row (0-based in `row`) that first got the label.
public enum LabelRules {
    /// Characters (Unicode code points, after NFC) a label may have.
    public static let maxLength = 200

    /// Characters (Unicode code points, after NFC) a label's description may have (`descriptions` in a plugin or a
    /// definition): one short sentence for a report's table cell.
    public static let maxDescriptionLength = 160

    /// `raw` with its labels in NFC (codes merged where two labels normalise to one), or the first breach of
    /// the rules as a `PluginError` of `plugin` (`file`) with the row.
    public static func apply(_ raw: LabelAssignment, plugin: String, file: String,
                             maxSegments: Int) throws -> LabelAssignment {
        func fail(_ code: Int, _ reason: PluginError.Reason) -> PluginError {
            PluginError(plugin: plugin, file: file, reason: reason, row: raw.codes.firstIndex(of: Int32(code)))
        }
        var labels: [String] = []
        var codeOf: [String: Int32] = [:]
        var remap: [Int32] = []
        remap.reserveCapacity(raw.labels.count)
        for (code, label) in raw.labels.enumerated() {
            if let bad = label.unicodeScalars.first(where: { TerminalText.isControl($0.value) }) {
                let shown = "U+" + String(format: "%04X", bad.value)
                throw fail(code, .badReturn(field: "assign", expected: "a label without control characters "
                    + "(no NUL, escape, tab, line break or bidirectional override); remove or replace \(shown)",
                    got: "label \"\(TerminalText.cell(label))\" holding the control character \(shown)"))
            }
            let nfc = label.utf8.allSatisfy({ $0 < 0x80 }) ? label : label.precomposedStringWithCanonicalMapping
            let length = nfc.unicodeScalars.count
            if length > maxLength {
                let head = String(String.UnicodeScalarView(nfc.unicodeScalars.prefix(40)))
                throw fail(code, .badReturn(field: "assign", expected: "a label of at most \(maxLength) characters",
                                            got: "label of \(length) characters (\"\(TerminalText.cell(head))…\")"))
            }
            // Swift compares strings by canonical equivalence, so the NFC form finds an equal earlier label.
            if let existing = codeOf[nfc] { remap.append(existing); continue }
            if labels.count == maxSegments { throw fail(code, .tooManyLabels(limit: maxSegments, label: nfc)) }
            codeOf[nfc] = Int32(labels.count)
            remap.append(Int32(labels.count))
            labels.append(nfc)
        }
        guard labels.count != raw.labels.count else { return LabelAssignment(codes: raw.codes, labels: labels) }
        return LabelAssignment(codes: raw.codes.map { $0 < 0 ? $0 : remap[Int($0)] }, labels: labels)
    }
}
