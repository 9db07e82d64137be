import Foundation
import SegworkData

/// Reads a stored `membership.csv` (docs/EXPORTS.md: header `<id column>,segment[,criterion columns…][,scores…]`,
/// RFC 4180 quoting, one row per customer, empty segment = unassigned) without building a table: for each customer
/// it hands over the raw UTF-8 bytes of the id and of the segment, quotes removed, so ids are compared as
/// exact byte strings (never by Unicode equivalence). Every column after `segment` (criterion columns of 0.4.0
/// and later, scores, `membership.columns`) is skipped, so old and new layouts read alike. A text field that
/// `CSVText.text` guarded against spreadsheet formulas (`'=x`) is handed over without the guarding quote.
enum MembershipReader {
    /// A problem the row callback reports; the reader turns it into a `DiffError` with the line.
    enum RowProblem: Error {
        /// The id was already seen in this membership.
        case duplicate(id: String)
        /// The segment label is reserved by the diff.
        case reservedLabel(String)
    }

    /// Calls `row(id, segment)` for every customer in file order and returns the id column's name and the
    /// number of customers. The buffers are valid only during the call. `version` names the version in errors.
    static func read(_ data: Data, version: String,
                     _ row: (_ id: UnsafeBufferPointer<UInt8>, _ segment: UnsafeBufferPointer<UInt8>) throws -> Void)
        throws -> (idColumn: String, rows: Int) {
        try data.withUnsafeBytes { raw -> (idColumn: String, rows: Int) in
            var body = raw.bindMemory(to: UInt8.self)
            if body.count >= 3, body[0] == 0xEF, body[1] == 0xBB, body[2] == 0xBF {
                body = UnsafeBufferPointer(rebasing: body[3...])
            }
            func fail(_ offset: Int, _ reason: String) -> DiffError {
                .malformedMembership(version: version, line: ByteScan.line(of: offset, in: body, loneCR: false),
                                     reason: reason)
            }
            switch ByteScan.validate(body) {
            case .invalidUTF8(let offset)?: throw fail(offset, "it is not valid UTF-8 text")
            case .nul(let offset)?: throw fail(offset, "it contains a NUL byte")
            case nil: break
            }
            guard let base = body.baseAddress, body.count > 0 else {
                throw DiffError.malformedMembership(version: version, line: 1,
                                                    reason: "it is empty instead of starting with `<id column>,segment`")
            }
            var scan = RecordScanner(base: base, count: body.count)
            let header: RecordScanner.Record
            do {
                guard let h = try scan.next() else { throw fail(0, "it has no header line `<id column>,segment`") }
                header = h
            } catch let p as RecordScanner.Problem { throw fail(p.offset, p.reason) }
            guard let second = header.segment, String(decoding: second, as: UTF8.self) == "segment" else {
                throw fail(header.start, "the header's second column must be 'segment'")
            }
            let idColumn = String(decoding: CSVText.unguarded(header.id), as: UTF8.self)
            var rows = 0
            while true {
                let record: RecordScanner.Record
                do {
                    guard let r = try scan.next() else { break }
                    record = r
                } catch let p as RecordScanner.Problem { throw fail(p.offset, p.reason) }
                guard let segment = record.segment else {
                    throw fail(record.start, "the row has no 'segment' field (expected `<id>,<segment>`)")
                }
                // Ids and labels as they were before `Exporter.membership` guarded them against formulas.
                do { try row(CSVText.unguarded(record.id), CSVText.unguarded(segment)) } catch let p as RowProblem {
                    let line = ByteScan.line(of: record.start, in: body, loneCR: false)
                    switch p {
                    case .duplicate(let id): throw DiffError.duplicateCustomer(version: version, id: id, line: line)
                    case .reservedLabel(let l): throw DiffError.reservedLabel(version: version, label: l, line: line)
                    }
                }
                rows += 1
            }
            return (idColumn, rows)
        }
    }
}

/// Splits UTF-8 CSV bytes into records, keeping the first two fields of each. LF or CRLF end a record;
/// blank lines are skipped; a quoted field may hold commas, doubled quotes and line breaks.
private struct RecordScanner {
    /// A syntax problem at a byte offset.
    struct Problem: Error {
        let offset: Int
        let reason: String
    }

    /// One record: its first two fields (the second nil when the record has only one) and start offset.
    struct Record {
        let id: UnsafeBufferPointer<UInt8>
        let segment: UnsafeBufferPointer<UInt8>?
        let start: Int
    }

    let base: UnsafePointer<UInt8>
    let count: Int
    private var pos = 0
    private let scratch = (Scratch(), Scratch())

    init(base: UnsafePointer<UInt8>, count: Int) {
        self.base = base; self.count = count
    }

    /// The next record, or nil at the end of the bytes.
    mutating func next() throws -> Record? {
        // Skip blank lines.
        while pos < count {
            if base[pos] == 0x0A { pos += 1; continue }
            if base[pos] == 0x0D, pos + 1 < count, base[pos + 1] == 0x0A { pos += 2; continue }
            break
        }
        guard pos < count else { return nil }
        let start = pos
        let (first, endAfterFirst) = try field(scratch.0)
        if endAfterFirst { return Record(id: first, segment: nil, start: start) }
        var (second, end) = try field(scratch.1)
        while !end { (_, end) = try field(nil) }
        return Record(id: first, segment: second, start: start)
    }

    /// Reads one field and its terminator; returns its bytes (unescaped into `scratch` when it held doubled
    /// quotes; empty when `scratch` is nil and unescaping was needed, i.e. the value is not wanted) and
    /// whether the record ended after it.
    private mutating func field(_ scratch: Scratch?) throws -> (UnsafeBufferPointer<UInt8>, Bool) {
        let value: UnsafeBufferPointer<UInt8>
        if pos < count, base[pos] == 0x22 {
            let open = pos
            pos += 1
            let start = pos
            var escapes = 0
            while true {
                guard pos < count else {
                    throw Problem(offset: open, reason: "a quoted field is never closed (a '\"' is missing)")
                }
                if base[pos] == 0x22 {
                    if pos + 1 < count, base[pos + 1] == 0x22 { escapes += 1; pos += 2; continue }
                    break
                }
                pos += 1
            }
            let length = pos - start
            pos += 1  // closing quote
            if escapes == 0 {
                value = UnsafeBufferPointer(start: base + start, count: length)
            } else if let scratch {
                scratch.reserve(length)
                var out = 0, i = start
                while i < start + length {
                    scratch.pointer[out] = base[i]
                    out += 1
                    i += base[i] == 0x22 ? 2 : 1
                }
                value = UnsafeBufferPointer(start: scratch.pointer, count: out)
            } else {
                value = UnsafeBufferPointer(start: base + start, count: 0)
            }
            guard pos >= count || base[pos] == 0x2C || base[pos] == 0x0A
                || (base[pos] == 0x0D && pos + 1 < count && base[pos + 1] == 0x0A) else {
                throw Problem(offset: pos, reason: "a closing quote is followed by text instead of ',' or a line end")
            }
        } else {
            let start = pos
            while pos < count {
                let b = base[pos]
                if b == 0x2C || b == 0x0A || (b == 0x0D && pos + 1 < count && base[pos + 1] == 0x0A) { break }
                pos += 1
            }
            value = UnsafeBufferPointer(start: base + start, count: pos - start)
        }
        if pos >= count { return (value, true) }
        switch base[pos] {
        case 0x2C: pos += 1; return (value, false)
        case 0x0A: pos += 1; return (value, true)
        default: pos += 2; return (value, true)  // CRLF
        }
    }
}
