#if canImport(Glibc)
import Glibc
private let posixRead = Glibc.read
#elseif canImport(Darwin)
import Darwin
private let posixRead = Darwin.read
#endif

/// Reads data files into typed columnar tables. Every problem is a `DataError` naming the file, the line where
/// the record starts, the column, and what to do.
package enum DataReader {
    /// Extensions read as CSV, with the delimiter each implies (nil: the one in the options).
    package static let csvExtensions: [String: UInt8?] = ["csv": nil, "tsv": 0x09, "txt": nil]
    /// Extensions read as JSON Lines.
    package static let jsonLinesExtensions: Set<String> = ["jsonl", "ndjson"]

    /// Reads CSV (.csv/.tsv (tab)/.txt) or JSON Lines (.jsonl/.ndjson) by extension; other extensions → DataError saying which are supported.
    /// A `.tsv` file is split at tabs unless `options.delimiter` is something other than a comma; `options.format`
    /// (a delimiter, no header, a decimal comma) applies to delimited text only: a JSON Lines file refuses it.
    public static func read(path: String, options: ReadOptions = ReadOptions()) throws -> Table {
        let ext = fileExtension(path)
        if let implied = csvExtensions[ext] {
            var o = options
            if o.format.delimiter == nil {
                if let implied, o.delimiter == UInt8(ascii: ",") { o.delimiter = implied }
                // A decimal comma leaves the comma to numbers: such files separate fields with semicolons.
                else if o.format.decimalComma, o.delimiter == UInt8(ascii: ",") { o.delimiter = UInt8(ascii: ";") }
            }
            return try readCSV(path: path, options: o)
        }
        // A delimiter given outright reads any other extension (`.dat`, none) as delimited text.
        if options.format.delimiter != nil, !jsonLinesExtensions.contains(ext) { return try readCSV(path: path, options: options) }
        if jsonLinesExtensions.contains(ext) {
            if !options.format.isDefault {
                throw DataError(file: options.displayName ?? path, line: nil,
                                message: "is JSON Lines, which has no delimiter, header line or decimal comma; remove "
                                    + "delimiter, header, columns and decimal from the dataset (they are for delimited text)")
            }
            return try readJSONLines(path: path, options: options)
        }
        throw DataError(file: path, line: nil,
                        message: (ext.isEmpty ? "the file name has no extension" : "the extension '.\(ext)' is not supported")
                            + "; use .csv, .tsv or .txt for delimited text, or .jsonl or .ndjson for JSON Lines")
    }

    /// Reads a CSV file (see `parseCSV`); with `options.format.delimiter == .whitespace`, fields separated by runs
    /// of spaces and tabs.
    public static func readCSV(path: String, options: ReadOptions = ReadOptions()) throws -> Table {
        let origin = options.displayName ?? path
        let cut: ChunkFeed.Format = options.format.delimiter == .whitespace ? .lines : .csv
        return try ParallelReader.read(origin: origin, options: options,
                                       feed: { try ChunkFeed(path: path, format: cut, blockSize: options.chunkBytes,
                                                             origin: origin, firstBlock: options.shape == nil ? nil : 1 << 16) },
                                       parser: { try CSVFormat(origin: origin, options: $0) })
    }

    /// Reads a JSON Lines file (see `parseJSONLines`).
    public static func readJSONLines(path: String, options: ReadOptions = ReadOptions()) throws -> Table {
        let origin = options.displayName ?? path
        return try ParallelReader.read(origin: origin, options: options,
                                       feed: { try ChunkFeed(path: path, format: .jsonLines,
                                                             blockSize: options.chunkBytes, origin: origin) },
                                       parser: { JSONLinesFormat(origin: origin, options: $0) })
    }

    /// The lower-cased extension of the last path component, without the dot ("" when there is none).
    package static func fileExtension(_ path: String) -> String {
        let name = path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        return name[name.index(after: dot)...].lowercased()
    }

    /// The whole file, or a `DataError` saying why it cannot be read.
    static func readFile(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw fileError(path, errno) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw fileError(path, errno) }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            throw DataError(file: path, line: nil, message: "is a directory, not a data file; name a file inside it")
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(st.st_size))
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let got = chunk.withUnsafeMutableBytes { posixRead(fd, $0.baseAddress, $0.count) }
            if got < 0 {
                if errno == EINTR { continue }
                throw fileError(path, errno)
            }
            if got == 0 { break }
            bytes.append(contentsOf: chunk[0..<got])
        }
        return bytes
    }

    static func fileError(_ path: String, _ code: Int32) -> DataError {
        let reason = String(cString: strerror(code))
        let hint: String
        switch code {
        case ENOENT: hint = "check the path"
        case EACCES: hint = "check the file's permissions"
        default: hint = "check the file"
        }
        return DataError(file: path, line: nil, message: "cannot be read (\(reason)); \(hint)")
    }
}
