/// How a delimited text file is laid out, when the file extension alone does not say: the field separator, whether
/// the first line is a header, and the decimal mark. A definition's dataset options (`delimiter:`, `header:`,
/// `columns:`, `decimal:`) and `seg import`'s options of the same names make one.
public struct TextFormat: Sendable, Equatable {
    /// What separates the fields of a record.
    public enum Delimiter: Sendable, Equatable {
        /// One ASCII byte (`,` `;` `|` tab …); fields may be quoted as RFC 4180 says.
        case byte(UInt8)
        /// Runs of spaces and tabs; leading and trailing ones are ignored and quotes are ordinary characters.
        case whitespace
    }

    /// The separator; nil: by extension (`.tsv` tab, else a comma, or `;` with a decimal comma).
    public var delimiter: Delimiter?
    /// The first record names the columns (the default). When false, `columns` names them.
    public var header = true
    /// Column names of a file without a header, in order; every record must have exactly this many fields.
    public var columns: [String]?
    /// Numbers are written with a decimal comma (`11,77`); a value with a decimal point is then not a number.
    public var decimalComma = false

    /// The default: by extension, with a header, decimal point.
    public init(delimiter: Delimiter? = nil, header: Bool = true, columns: [String]? = nil, decimalComma: Bool = false) {
        self.delimiter = delimiter; self.header = header; self.columns = columns; self.decimalComma = decimalComma
    }

    /// Whether every option is the default (the file is read by its extension alone).
    public var isDefault: Bool { self == TextFormat() }

    /// The delimiter named by a word or a character as a definition writes it: `,` `;` `|`, a tab (`"\t"`, `tab`)
    /// or `whitespace`; nil for anything else.
    public static func delimiter(named text: String) -> Delimiter? {
        switch text {
        case ",": return .byte(UInt8(ascii: ","))
        case ";": return .byte(UInt8(ascii: ";"))
        case "|": return .byte(UInt8(ascii: "|"))
        case "\t", "tab", "\\t": return .byte(0x09)
        case "whitespace": return .whitespace
        default: return nil
        }
    }

    /// The accepted spellings, for messages.
    public static let delimiterNames = "',' ';' '|', tab (\"\\t\" or the word tab) or whitespace"

    /// The delimiter as the options write it (`","`, `tab`, `whitespace`).
    public static func name(of d: Delimiter) -> String {
        switch d {
        case .whitespace: return "whitespace"
        case .byte(0x09): return "tab"
        case .byte(let b): return String(UnicodeScalar(b))
        }
    }
}
