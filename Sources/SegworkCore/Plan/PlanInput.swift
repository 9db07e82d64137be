import Foundation

/// Cuts a stream of CSV or JSON Lines bytes into whole records, read from a file descriptor a block at a time, and
/// hands them out in chunks of at most `chunkRows` records with the line each chunk starts on. Memory stays at one
/// chunk plus one block, whatever the input's length. A chunk is also handed out early when the input has nothing
/// more to read at the moment (a long-lived `seg apply` in a pipe answers each batch as it arrives).
struct RecordChunks {
    /// The input's layout.
    enum Format: String, Sendable { case csv, jsonl }
    /// A run of whole records.
    struct Chunk {
        /// Their bytes, each record ending in a line feed.
        var bytes: [UInt8]
        /// The 1-based line of the input the first record starts on.
        var firstLine: Int
        /// How many records.
        var records: Int
    }

    let fd: Int32
    let format: Format
    let chunkRows: Int
    private var buffer: [UInt8] = []
    private var scanned = 0          // bytes of `buffer` already split
    private var recordStart = 0      // where the record being scanned starts
    private var inQuotes = false
    /// CSV: at the start of a field (a quote there opens a quoted field; elsewhere it is the reader's to refuse).
    private var fieldStart = true
    /// CSV: right after a quoted field's closing quote (a quote here is an escaped `""`, back inside).
    private var justClosed = false
    /// The line the record being scanned starts on.
    private var recordLine = 1
    /// The longest record accepted: a stream with no line feed must not grow without end.
    static let maxRecordBytes = 64 << 20
    private var line = 1             // the line of `buffer[scanned]`
    private var chunkLine = 1        // the line `buffer[0]` starts on
    private var complete = 0         // whole records in buffer[0..<recordStart]
    private var eof = false
    /// The CSV header line (with its line feed), once read.
    private(set) var header: [UInt8]?

    init(fd: Int32, format: Format, chunkRows: Int) { self.fd = fd; self.format = format; self.chunkRows = chunkRows }

    /// The next chunk, or nil at the end of the input. For CSV the first record is kept as `header`.
    mutating func next() throws -> Chunk? {
        while true {
            split()
            if complete >= chunkRows || (complete > 0 && (eof || !readable())) { return take() }
            if eof {
                guard recordStart < buffer.count else { return nil }
                // A last record without a line feed.
                buffer.append(UInt8(ascii: "\n"))
                split()
                if inQuotes {
                    // Never silently: the rest of the input would vanish into one unfinished field.
                    throw PlanError.badInput(line: recordLine, column: nil, detail: "a quoted field opens in this record and never closes; close it (a quote inside a quoted field is written twice: \"\")")
                }
                return complete > 0 ? take() : nil
            }
            if buffer.count - recordStart > Self.maxRecordBytes {
                throw PlanError.badInput(line: recordLine, column: nil, detail: "a record longer than \(Self.maxRecordBytes >> 20) MiB (no line feed, or an unclosed quote); one customer per line")
            }
            try fill()
        }
    }

    /// Scans new bytes for record ends.
    private mutating func split() {
        let quote = UInt8(ascii: "\""), lf = UInt8(ascii: "\n")
        var i = scanned
        var n = buffer.count
        while i < n {
            let b = buffer[i]
            if format == .csv && b == quote {
                // RFC 4180: a quote opens a field only at its start; inside, it closes it, and a second one right
                // after is an escaped quote. A stray quote elsewhere is left for the reader, which names its line.
                if inQuotes { inQuotes = false; justClosed = true }
                else if fieldStart || justClosed { inQuotes = true; justClosed = false }
                fieldStart = false
            } else if b == lf {
                line += 1
                justClosed = false
                if !inQuotes {
                    fieldStart = true
                    recordLine = line
                    if format == .csv && header == nil {
                        header = Array(buffer[0...i])
                        buffer.removeFirst(i + 1); i = -1; n = buffer.count
                        chunkLine = line; recordStart = 0
                    } else {
                        recordStart = i + 1
                        complete += 1
                    }
                }
            }
            else if b == UInt8(ascii: ",") && !inQuotes { fieldStart = true; justClosed = false }
            else if !inQuotes { fieldStart = false; justClosed = false }
            i += 1
            if complete >= chunkRows { break }
        }
        scanned = max(i, 0)
    }

    private mutating func take() -> Chunk {
        let chunk = Chunk(bytes: Array(buffer[0..<recordStart]), firstLine: chunkLine, records: complete)
        // The line of the first byte after the chunk: count the chunk's line feeds.
        chunkLine += chunk.bytes.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
        buffer.removeFirst(recordStart)
        scanned -= recordStart
        recordStart = 0
        complete = 0
        return chunk
    }

    /// Whether the input has bytes to read right now (poll with no wait).
    private func readable() -> Bool {
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&p, 1, 0) > 0
    }

    private mutating func fill() throws {
        var block = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let got = block.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if got < 0 {
                if errno == EINTR { continue }
                throw PlanError.badInput(line: line, column: nil, detail: "cannot be read (\(String(cString: strerror(errno))))")
            }
            if got == 0 { eof = true; return }
            buffer.append(contentsOf: block[0..<got])
            return
        }
    }
}
