import Foundation

/// A file format the parallel reader can split and parse.
protocol ChunkParser {
    /// Reads what comes before the records (a CSV header) from the first chunk, nil for an empty file.
    mutating func readHeader(_ first: Chunk?) throws
    /// Parses one chunk; called on several threads at once, each with its own `worker`.
    func parse(_ chunk: Chunk, worker: inout ParseWorker) throws -> ChunkTable
    /// The columns known before any record is parsed (the CSV header), else empty.
    var names: [String] { get }
    /// Checks the whole file's columns once every chunk is in (JSON Lines: at least one record and key).
    func check(columns: [String], rows: Int) throws
}

extension ChunkParser {
    /// Runs `records` over `body`, or, when the options ask for it and `body` is not valid UTF-8, over a copy with
    /// each invalid sequence replaced by U+FFFD (the result then counts the replacements and the first one's line).
    func repairingIfAsked(_ body: UnsafeBufferPointer<UInt8>, replace: Bool, firstLine: Int, loneCR: Bool,
                          _ records: (UnsafeBufferPointer<UInt8>) throws -> ChunkTable) throws -> ChunkTable {
        guard replace, let fixed = ByteScan.repairUTF8(body) else { return try records(body) }
        return try fixed.bytes.withUnsafeBufferPointer { repaired in
            var t = try records(repaired)
            t.repairs = (fixed.replacements, firstLine - 1 + ByteScan.line(of: fixed.firstOffset, in: body, loneCR: loneCR))
            return t
        }
    }
}

/// What one parsing thread keeps between its chunks.
package struct ParseWorker {
    /// The thread's number, from 0.
    let id: Int
    /// CSV field offsets of the current chunk.
    var bounds: [UInt32] = []
    /// Room for unescaped fields.
    let scratch = Scratch()
    /// One dictionary per string column: codes of this thread's chunks.
    var dictionaries: [String: ByteDictionary] = [:]
    /// False while parsing a chunk whose values a shape-only read drops (`ReadOptions.shape`): records are checked
    /// and counted, but no column is built.
    var keepValues = true

    init(id: Int) { self.id = id }
}

/// Reads a file on several threads: a `ChunkFeed` cuts it into chunks of whole records, each thread parses
/// chunks into typed column pieces, and the pieces are joined in file order as they arrive, so only a few
/// chunks of raw text are in memory at once. The first error in file order is the one reported.
package enum ParallelReader {
    /// Reads the whole input. When chunks disagree on a column's type in a way that cannot be widened, the
    /// input is read a second time with every column's type fixed.
    static func read<P: ChunkParser>(origin: String, options: ReadOptions, feed makeFeed: () throws -> ChunkFeed,
                                     parser makeParser: (ReadOptions) throws -> P) throws -> Table {
        switch try pass(origin: origin, feed: try makeFeed(), parser: try makeParser(options), options: options) {
        case .table(let t): return t
        case .reread(let types):
            var typed = options
            for (name, type) in types { typed.schema[name] = type }
            guard case .table(let t) = try pass(origin: origin, feed: try makeFeed(), parser: try makeParser(typed),
                                                options: typed) else {
                throw DataError(file: origin, line: nil, message: "the file changed while it was being read; read it again")
            }
            return t
        }
    }

    private enum Outcome {
        case table(Table)
        case reread([String: ColumnType])
    }

    private static func pass<P: ChunkParser>(origin: String, feed: ChunkFeed, parser: P,
                                             options: ReadOptions) throws -> Outcome {
        var parser = parser
        let first = feed.next()
        if let failure = feed.failure { throw failure }
        try parser.readHeader(first)
        if let first { feed.pushBack(first) }
        let threads = max(1, min(options.threads, ProcessInfo.processInfo.activeProcessorCount))
        let state = ReadState(origin: origin, options: options, names: parser.names, totalBytes: feed.totalBytes,
                              firstChunkBytes: first?.bytes.count ?? 0)
        // The parser is only read from here on (parse takes the worker's own state), so the threads may share it.
        nonisolated(unsafe) let shared = parser
        let work: @Sendable (Int) -> Void = { w in
            var worker = ParseWorker(id: w)
            while let chunk = feed.next() {
                let result = Result { try shared.parse(chunk, worker: &worker) }
                if !state.deliver(chunk.index, result, worker: w, bytes: chunk.bytes.count) { feed.stop() }
            }
            // Only the values are needed from here on (to merge codes): drop the lookup tables now.
            for name in Array(worker.dictionaries.keys) { worker.dictionaries[name]!.releaseIndex() }
            state.finished(worker: w, dictionaries: worker.dictionaries)
        }
        if threads == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: threads, execute: work) }
        if let error = state.error { throw error }
        if let failure = feed.failure { throw failure }
        try parser.check(columns: state.order.map(\.name), rows: state.rows)
        // A column inferred as text because of a value after others of one type: say where (a re-read fixes every
        // type, so this is the only pass that can tell).
        for column in state.order where column.forced == nil && column.finalType == .string {
            if let note = column.evidence.textFrom?.note(origin: origin, column: column.name,
                                                                   decimalComma: options.format.decimalComma) { options.warnings?.add(note) }
        }
        if state.order.contains(where: \.needsReread) {
            return .reread(Dictionary(uniqueKeysWithValues: state.order.map { ($0.name, $0.finalType) }))
        }
        let columns = Self.finish(&state.order, dictionaries: (0..<threads).map { state.dictionaries[$0] ?? [:] })
        state.dictionaries = [:]
        state.order = []
        options.shape?.rows = state.rows
        var table = try Table(columns: columns)
        table.rowLines = state.lines
        if let n = state.repairs, let line = state.firstRepairLine {
            options.warnings?.add("\(origin): replaced \(n) invalid UTF-8 " + (n == 1 ? "sequence" : "sequences")
                                      + " with U+FFFD (first on line \(line)), as the definition's invalid_utf8: replace asks")
        }
        return .table(table)
    }

    /// The finished columns, in order: finished on every core, those with the most distinct text values first
    /// (merging the threads' dictionaries is the long part of a wide file with unique texts, such as emails). Each
    /// column's dictionaries are dropped as soon as its codes are merged.
    private static func finish(_ order: inout [ColumnAccumulator], dictionaries: consuming [[String: ByteDictionary]]) -> [Column] {
        /// One column's dictionaries (thread → name → values), taken once by the task that finishes the column.
        final class Input: @unchecked Sendable {
            var dictionaries: [[String: ByteDictionary]]
            let size: Int
            init(_ d: [[String: ByteDictionary]], size: Int) { dictionaries = d; self.size = size }
        }
        let inputs = order.map { column in
            let own = dictionaries.map { d in d[column.name].map { [column.name: $0] } ?? [:] }
            return Input(own, size: own.reduce(0) { $0 + ($1[column.name]?.count ?? 0) })
        }
        dictionaries = []
        let byCost = inputs.indices.sorted { (inputs[$0].size, $1) > (inputs[$1].size, $0) }
        var columns = [Column?](repeating: nil, count: order.count)
        order.withUnsafeMutableBufferPointer { accumulators in
            columns.withUnsafeMutableBufferPointer { out in
                // Each task finishes one column: its own accumulator, its own slot.
                nonisolated(unsafe) let accumulators = accumulators, out = out
                DispatchQueue.concurrentPerform(iterations: byCost.count) { t in
                    let k = byCost[t]
                    let own = inputs[k].dictionaries
                    inputs[k].dictionaries = []
                    out[k] = accumulators[k].finish(dictionaries: own)
                }
            }
        }
        return columns.map { $0! }
    }
}

/// The shared state of one pass: chunk results waiting for their turn, the columns joined so far.
private final class ReadState: @unchecked Sendable {
    let lock = NSLock()
    let origin: String
    let options: ReadOptions
    var order: [ColumnAccumulator] = []
    var position: [String: Int] = [:]
    var rows = 0
    var lines = RowLines()
    var waiting: [Int: (Result<ChunkTable, Error>, Int, Int)] = [:]
    var nextIndex = 0
    var error: Error?
    var dictionaries: [Int: [String: ByteDictionary]] = [:]
    let totalBytes: Int
    let firstChunkBytes: Int
    var expectedRows = 0
    var repairs: Int?
    var firstRepairLine: Int?

    init(origin: String, options: ReadOptions, names: [String], totalBytes: Int, firstChunkBytes: Int) {
        self.origin = origin; self.options = options; self.totalBytes = totalBytes; self.firstChunkBytes = firstChunkBytes
        for name in names { add(name) }
    }

    private func add(_ name: String) {
        position[name] = order.count
        var acc = ColumnAccumulator(name: name, forced: options.forcedType(name), expectedRows: expectedRows)
        acc.appendMissing(rows)
        order.append(acc)
    }

    /// Takes chunk `index`'s result and joins every result whose turn has come. False once an error stops the read.
    func deliver(_ index: Int, _ result: Result<ChunkTable, Error>, worker: Int, bytes: Int) -> Bool {
        lock.lock(); defer { lock.unlock() }
        if error != nil { return false }
        waiting[index] = (result, worker, bytes)
        while let (next, w, size) = waiting.removeValue(forKey: nextIndex) {
            nextIndex += 1
            do {
                let t = try next.get()
                if options.shape != nil, nextIndex > 1 {
                    // A shape-only read keeps the first chunk's values; later chunks only count.
                    rows += t.rows
                    options.progress?.advance(bytes: size, rows: t.rows)
                    continue
                }
                if expectedRows == 0, t.rows > 0 {
                    // Reserve once, from the first chunk's density (plus 5 %), so columns do not regrow.
                    expectedRows = Int(Double(t.rows) * Double(max(totalBytes, size)) / Double(max(size, 1)) * 1.05) + 16
                    // The columns of the header were made before any chunk came: they reserve from now on too (without
                    // this, every column grew by doubling, each step a new mapping copied and faulted in).
                    for k in order.indices { order[k].expectedRows = expectedRows }
                }
                for (name, column) in t.columns {
                    if position[name] == nil { add(name) }
                    try order[position[name]!].append(column, rows: t.rows, worker: w, origin: origin)
                }
                if t.columns.count != order.count {
                    let present = Set(t.columns.map(\.name))
                    for k in order.indices where !present.contains(order[k].name) { order[k].appendMissing(t.rows) }
                }
                rows += t.rows
                lines.append(contentsOf: t.lines)
                if let r = t.repairs {
                    repairs = (repairs ?? 0) + r.count
                    if firstRepairLine == nil { firstRepairLine = r.firstLine }
                }
                options.progress?.advance(bytes: size, rows: t.rows)
            } catch let e {
                error = e
                waiting = [:]
                return false
            }
        }
        return true
    }

    func finished(worker: Int, dictionaries: [String: ByteDictionary]) {
        lock.lock(); defer { lock.unlock() }
        self.dictionaries[worker] = dictionaries
    }
}
