import Foundation

/// A CSV document under construction: RFC 4180 quoting, LF line ends, and the spreadsheet-formula guard for text
/// cells. Every CSV file Segwork writes (profiles, membership, diffs, rejects) is made with it.
package struct CSVText {
    private var text = ""

    /// An empty document.
    package init() {}

    /// Appends one record.
    package mutating func row(_ fields: [String]) {
        for (i, f) in fields.enumerated() {
            if i > 0 { text.append(",") }
            text.append(CSVText.quote(f))
        }
        text.append("\n")
    }

    /// The document's bytes (UTF-8).
    package var data: Data { Data(text.utf8) }

    /// A field, quoted when it holds a comma, a double quote, a CR or a LF (quotes doubled).
    package static func quote(_ field: String) -> String {
        guard field.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else {
            return field
        }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// A number with `formatDouble`, empty when undefined.
    package static func number(_ d: Double?) -> String { d.map(formatDouble) ?? "" }

    /// A text cell (a label, an id, a value of a text column) that a spreadsheet will not run as a formula
    /// (OWASP, "CSV injection"): text starting with `=`, `+`, `-`, `@`, a tab or a CR gets a single quote in
    /// front. So the quote can be taken off again without doubt (`unguarded`), text that is apostrophes followed
    /// by such a character gets one more. Numbers the host writes as numbers never go through here.
    package static func text(_ s: String) -> String {
        needsGuard(s.utf8) ? "'" + s : s
    }

    /// `text(s)` for text, `s` unchanged when it reads as a number (a parameter value such as `-3`).
    package static func textOrNumber(_ s: String) -> String {
        Double(s) != nil ? s : text(s)
    }

    /// Whether `text` would be read as a formula: after any apostrophes, its first byte is one of `=+-@`, tab, CR.
    package static func needsGuard<C: Collection>(_ bytes: C) -> Bool where C.Element == UInt8 {
        guard let first = bytes.first(where: { $0 != 0x27 }) else { return false }
        return [0x3D, 0x2B, 0x2D, 0x40, 0x09, 0x0D].contains(first)
    }

    /// A field as `text` wrote it, back to the original text: the guarding quote removed.
    package static func unguarded(_ field: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        guard field.first == 0x27, needsGuard(field.dropFirst()) else { return field }
        return UnsafeBufferPointer(rebasing: field.dropFirst())
    }

    /// `unguarded` for a field held as bytes.
    package static func unguarded(_ field: [UInt8]) -> [UInt8] {
        guard field.first == 0x27, needsGuard(field.dropFirst()) else { return field }
        return Array(field.dropFirst())
    }
}
