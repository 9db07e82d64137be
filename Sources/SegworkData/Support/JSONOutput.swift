import Foundation

/// The one JSON form every file Segwork writes uses: keys sorted, slashes unescaped, numbers in shortest
/// round-trip form, and the non-finite doubles a plugin parameter could hold as the strings `inf`, `-inf`, `NaN`
/// (JSON has no such numbers). Export files are pretty-printed and end in a newline; stored values are compact.
package enum JSONOutput {
    /// An encoder with these settings.
    package static func encoder(pretty: Bool) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
                                          : [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "NaN")
        return encoder
    }

    /// A file's bytes: `value` pretty-printed, ending in a newline. `what` names it should encoding ever fail,
    /// which it cannot for Segwork's own types (text, integers, doubles, arrays and maps of them).
    package static func file<T: Encodable>(_ value: T, what: String) -> Data {
        do {
            var data = try encoder(pretty: true).encode(value)
            data.append(UInt8(ascii: "\n"))
            return data
        } catch {
            preconditionFailure("\(what) could not be encoded as JSON: \(error)")
        }
    }

    /// `value` as compact JSON text (the stored form of inputs, plugins and columns).
    package static func compact<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try encoder(pretty: false).encode(value), as: UTF8.self)
    }
}
