import Foundation

/// The columns of one parsed chunk, in the order they appear, with its rows' lines.
package struct ChunkTable {
    /// Number of records.
    var rows: Int
    /// Where each record starts.
    var lines: RowLines
    /// The chunk's columns (a JSON Lines chunk has only the keys its records use).
    var columns: [(name: String, column: ChunkColumn)] = []
    /// Invalid UTF-8 sequences replaced (when the options allow it), and the line of the first.
    var repairs: (count: Int, firstLine: Int)?

    init(rows: Int, lines: RowLines) { self.rows = rows; self.lines = lines }
}

/// One column, put together from its chunks in file order.
///
/// Chunks are typed by their own values; when they disagree the accumulated values are widened (integers
/// become doubles, which is exact: both round the same decimal) or, for any other disagreement, dropped and
/// the column marked for a second, typed read.
package struct ColumnAccumulator {
    let name: String
    let forced: ColumnType?
    var evidence = TypeEvidence()
    /// The type of the stored values; nil while every chunk so far had no value.
    private(set) var type: ColumnType?
    /// The chunks disagree in a way only a second read can settle.
    private(set) var reread = false
    private(set) var rows = 0
    private var ints: [Int64] = [], doubles: [Double] = [], bools: [Bool] = [], dates: [Int32] = []
    private var codes: [Int32] = []
    private var validity = Bitmap(count: 0, allSet: false)
    /// For string values, in row order: the rows each chunk covers, the thread whose dictionary its codes index
    /// (nil: a chunk without values, whose valid rows are "") and the codes that chunk added to that dictionary.
    private var segments: [(start: Int, count: Int, worker: Int?, added: Range<Int>)] = []
    /// Chunks (or leading missing rows) before the type was known: which rows were `""`.
    private var untyped: [Bitmap] = []
    /// Rows the whole column is expected to have (estimated from the first chunk), reserved when values first come.
    var expectedRows: Int

    init(name: String, forced: ColumnType?, expectedRows: Int) {
        self.name = name; self.forced = forced; self.expectedRows = expectedRows
    }

    /// Appends the next chunk of the column, parsed by thread `worker`.
    mutating func append(_ c: ChunkColumn, rows n: Int, worker: Int, origin: String) throws {
        try evidence.combine(c.evidence, column: name, origin: origin, rowOffset: rows)
        defer { rows += n }
        if reread { return }
        guard let values = c.values else {
            if type == nil { untyped.append(c.validity) } else { appendEmpty(c.validity) }
            return
        }
        if type == nil {
            type = values.type
            validity.reserveCapacity(expectedRows)
            let pending = untyped
            untyped = []
            for u in pending { appendEmpty(u) }
        } else if type != values.type {
            if type == .integer, values.type == .double {
                doubles.reserveCapacity(max(expectedRows, ints.count + 1))
                doubles.append(contentsOf: ints.lazy.map(Double.init))
                ints = []
                type = .double
            } else if !(type == .double && values.type == .integer) {
                reread = true
                ints = []; doubles = []; bools = []; dates = []; codes = []; segments = []
                validity = Bitmap(count: 0, allSet: false)
                return
            }
        }
        switch values {
        case .integer(let v):
            if type == .double { Self.store(&doubles, v.lazy.map(Double.init), reserving: expectedRows) } else { Self.store(&ints, v, reserving: expectedRows) }
        case .double(let v): Self.store(&doubles, v, reserving: expectedRows)
        case .bool(let v): Self.store(&bools, v, reserving: expectedRows)
        case .date(let v): Self.store(&dates, v, reserving: expectedRows)
        case .codes(let v):
            segments.append((codes.count, v.count, worker, c.added))
            Self.store(&codes, v, reserving: expectedRows)
        }
        validity.append(contentsOf: c.validity)
    }

    /// Appends `values`, reserving `expected` elements first when the array is empty. Static on purpose: as a method
    /// it would need `self` while `array` (one of self's arrays) is borrowed inout, and the compiler then passes a
    /// copy of `self`, whose reference to that very array makes every append copy the whole column (quadratic in
    /// the number of chunks: 14 M page faults and 40 s of system time reading 31 M rows).
    private static func store<T, S: Sequence>(_ array: inout [T], _ values: S, reserving expected: Int) where S.Element == T {
        if array.isEmpty { array.reserveCapacity(expected) }
        array.append(contentsOf: values)
    }

    /// Appends `n` missing rows (a JSON Lines chunk without this key).
    mutating func appendMissing(_ n: Int) {
        guard n > 0 else { return }
        defer { rows += n }
        if reread { return }
        let none = Bitmap(count: n, allSet: false)
        if type == nil { untyped.append(none) } else { appendEmpty(none) }
    }

    /// Rows with no typed value: `quoted` marks those written `""` (the empty string in a string column).
    private mutating func appendEmpty(_ quoted: Bitmap) {
        let n = quoted.count
        switch type {
        case .integer?: Self.store(&ints, repeatElement(0, count: n), reserving: expectedRows)
        case .double?: Self.store(&doubles, repeatElement(0, count: n), reserving: expectedRows)
        case .bool?: Self.store(&bools, repeatElement(false, count: n), reserving: expectedRows)
        case .date?: Self.store(&dates, repeatElement(0, count: n), reserving: expectedRows)
        case .string?:
            // -1: the empty string, given its code when the dictionaries are merged.
            segments.append((codes.count, n, nil, 0..<0))
            Self.store(&codes, (0..<n).lazy.map { quoted[$0] ? -1 : 0 }, reserving: expectedRows)
            validity.append(contentsOf: quoted)
            return
        case nil: return
        }
        validity.append(repeating: false, count: n)
    }

    /// The type the whole column gets.
    var finalType: ColumnType { forced ?? evidence.type }

    /// Whether the stored values cannot become the final column.
    var needsReread: Bool { reread || (type != nil && type != finalType) }

    /// The finished column. String codes are translated from the parsing threads' dictionaries into one
    /// dictionary whose codes follow first appearance in the file, as one sequential pass would give them.
    mutating func finish(dictionaries: [[String: ByteDictionary]]) -> Column {
        if type == nil {
            type = finalType
            let pending = untyped
            untyped = []
            for u in pending { appendEmpty(u) }
        }
        let valid = validity
        switch type! {
        case .integer: return Column(name: name, storage: .integer(ints), validity: valid)
        case .double: return Column(name: name, storage: .double(doubles), validity: valid)
        case .bool: return Column(name: name, storage: .bool(bools), validity: valid)
        case .date: return Column(name: name, storage: .date(dates), validity: valid)
        case .string:
            // Global codes in first-appearance order without scanning rows: a value first seen in chunk k is
            // among the codes chunk k added to its thread's dictionary (in the order they appeared there), so
            // walking the chunks in file order and adding each chunk's new codes gives one pass's order.
            // Sized for the largest thread's values (a lower bound on the distinct ones: a value every thread saw is
            // counted once), so it regrows at most a few times; the strings are decoded at the end, on every core.
            var global = ByteDictionary(expected: max(16, dictionaries.map { $0[name]?.count ?? 0 }.max() ?? 0),
                                        keepStrings: false)
            var maps = dictionaries.map { [Int32](repeating: -1, count: $0[name]?.count ?? 0) }
            var emptyCode: Int32 = 0
            for seg in segments {
                if let w = seg.worker {
                    let d = dictionaries[w][name]!
                    for c in seg.added { maps[w][c] = d.withBytes(c) { global.code(for: $0) } }
                } else if (seg.start..<(seg.start + seg.count)).contains(where: { valid[$0] }) {
                    emptyCode = global.code(for: UnsafeBufferPointer(start: nil, count: 0))
                }
            }
            var out = codes
            codes = []
            let segs = segments, finalMaps = maps, finalEmptyCode = emptyCode
            out.withUnsafeMutableBufferPointer { out in
                // Each part writes only the rows of its own segments: disjoint, so sharing the pointer is safe.
                nonisolated(unsafe) let base = out.baseAddress!
                DispatchQueue.concurrentPerform(iterations: min(segs.count, 64)) { part in
                    var k = part
                    while k < segs.count {
                        let seg = segs[k]
                        finalMaps[seg.worker ?? 0].withUnsafeBufferPointer { map in
                            for r in seg.start..<(seg.start + seg.count) {
                                if !valid[r] { base[r] = 0 } else if seg.worker == nil { base[r] = finalEmptyCode } else {
                                    base[r] = map[Int(base[r])]
                                }
                            }
                        }
                        k += 64
                    }
                }
            }
            return Column(name: name, storage: .string(codes: out, dictionary: global.decodedStrings()), validity: valid)
        }
    }
}
