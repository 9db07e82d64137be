#if canImport(Glibc)
import Glibc
private let posixRead = Glibc.read
#elseif canImport(Darwin)
import Darwin
private let posixRead = Darwin.read
#endif
import Foundation

/// A piece of a data file that holds whole records only: bytes `0 ..< count` of `bytes`, starting on line
/// `firstLine` of the file. Owned by whoever holds it; freed when released.
package final class Chunk: @unchecked Sendable {
    /// Position in the file's sequence of chunks, from 0.
    let index: Int
    /// The chunk's bytes (whole records).
    let bytes: UnsafeMutableBufferPointer<UInt8>
    /// The 1-based line of `bytes[0]`.
    let firstLine: Int
    /// Where parsing starts (after the header in the first chunk of a CSV file).
    var start = 0
    /// The line at `start`.
    var startLine: Int

    init(index: Int, bytes: UnsafeMutableBufferPointer<UInt8>, firstLine: Int) {
        self.index = index; self.bytes = bytes; self.firstLine = firstLine; startLine = firstLine
    }

    deinit { bytes.deallocate() }
}

/// Cuts a file (or a byte array) into chunks of whole records, in order, for several parsing threads.
///
/// Only this cut is sequential: it finds the last record end in each block (for CSV it follows quotes from
/// quote to quote with `memchr`, so a quoted line break never splits a record) and counts the block's lines so
/// every chunk knows its first line. A UTF-8 byte order mark at the start is dropped. Thread-safe.
package final class ChunkFeed: @unchecked Sendable {
    /// How records end.
    enum Format {
        /// RFC 4180: LF, CRLF or a lone CR end a record, except inside double quotes.
        case csv
        /// One record per LF-terminated line.
        case jsonLines
        /// One record per line, ended by LF, CRLF or a lone CR; no quoting (whitespace-separated text).
        case lines
    }

    private enum Input {
        case file(Int32)
        case memory([UInt8], Int)
    }

    private let lock = NSLock()
    private var input: Input
    private let format: Format
    private let origin: String
    private let blockSize: Int
    private let firstBlock: Int?
    private var carry: [UInt8] = []
    private var atEnd = false
    private var nextIndex = 0
    private var nextLine = 1
    private var prefetched: Chunk?
    private var stopped = false
    private var startedBOMCheck = false
    /// The error that stopped the feed (a read error), if any.
    private(set) var failure: Error?
    /// Total input size in bytes, when known (for estimates and progress).
    let totalBytes: Int

    /// A feed over the file at `path` (opened here; closed when the feed is released); errors name it `origin`
    /// (default: the path).
    /// `firstBlock`, when set, is the size of the first block only (a shape-only read keeps the first chunk's values:
    /// a small first chunk keeps that small).
    init(path: String, format: Format, blockSize: Int, origin: String? = nil, firstBlock: Int? = nil) throws {
        let origin = origin ?? path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw DataReader.fileError(origin, errno) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { let e = errno; close(fd); throw DataReader.fileError(origin, e) }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw DataError(file: origin, line: nil, message: "is a directory, not a data file; name a file inside it")
        }
        input = .file(fd)
        totalBytes = Int(st.st_size)
        self.format = format; self.origin = origin; self.blockSize = max(blockSize, 16)
        self.firstBlock = firstBlock.map { max($0, 16) }
    }

    /// A feed over bytes already in memory.
    init(bytes: [UInt8], origin: String, format: Format, blockSize: Int) {
        input = .memory(bytes, 0)
        totalBytes = bytes.count
        self.format = format; self.origin = origin; self.blockSize = max(blockSize, 16); firstBlock = nil
    }

    deinit { if case .file(let fd) = input { close(fd) } }

    /// Makes `next()` return `chunk` first (the first chunk, after its header was read).
    func pushBack(_ chunk: Chunk) { lock.lock(); prefetched = chunk; lock.unlock() }

    /// Makes every later `next()` return nil.
    func stop() { lock.lock(); stopped = true; lock.unlock() }

    /// The next chunk, or nil at the end (or after `stop()` or a read error, kept in `failure`).
    func next() -> Chunk? {
        lock.lock(); defer { lock.unlock() }
        if stopped || failure != nil { return nil }
        if let p = prefetched { prefetched = nil; return p }
        do { return try cut() } catch { failure = error; return nil }
    }

    private func read(_ p: UnsafeMutablePointer<UInt8>, _ n: Int) throws -> Int {
        switch input {
        case .file(let fd):
            while true {
                let got = posixRead(fd, p, n)
                if got >= 0 { return got }
                if errno != EINTR { throw DataReader.fileError(origin, errno) }
            }
        case .memory(let bytes, let offset):
            let got = min(n, bytes.count - offset)
            bytes.withUnsafeBufferPointer { b in
                if got > 0 { p.update(from: b.baseAddress! + offset, count: got) }
            }
            input = .memory(bytes, offset + got)
            return got
        }
    }

    /// Reads the next block, cuts it after its last whole record, keeps the rest for the next call.
    private func cut() throws -> Chunk? {
        if atEnd && carry.isEmpty { return nil }
        var capacity = carry.count + (nextIndex == 0 ? firstBlock ?? blockSize : blockSize)
        var buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: capacity)
        var filled = carry.count
        carry.withUnsafeBufferPointer { c in if !c.isEmpty { buffer.baseAddress!.update(from: c.baseAddress!, count: c.count) } }
        carry.removeAll(keepingCapacity: true)
        while true {
            while !atEnd && filled < capacity {
                let got = try read(buffer.baseAddress! + filled, capacity - filled)
                if got == 0 { atEnd = true } else { filled += got }
            }
            if !startedBOMCheck, filled >= 3 || atEnd {
                startedBOMCheck = true
                if filled >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF {
                    (buffer.baseAddress! + 0).update(from: buffer.baseAddress! + 3, count: filled - 3)
                    filled -= 3
                    if !atEnd { continue }
                }
            }
            if atEnd {
                if filled == 0 { buffer.deallocate(); return nil }
                return finish(buffer, filled, end: filled)
            }
            if let end = lastRecordEnd(buffer.baseAddress!, filled) {
                carry.append(contentsOf: UnsafeBufferPointer(start: buffer.baseAddress! + end, count: filled - end))
                return finish(buffer, filled, end: end)
            }
            // One record longer than the block: grow and read on.
            guard capacity < Int(UInt32.max) / 2 else {
                buffer.deallocate()
                throw DataError(file: origin, line: nextLine,
                                message: "a record starting on this line is longer than 2 GiB (an unclosed quote?); "
                                    + "close the quoted field or split the record")
            }
            let bigger = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: capacity * 2)
            bigger.baseAddress!.update(from: buffer.baseAddress!, count: filled)
            buffer.deallocate()
            buffer = bigger
            capacity *= 2
        }
    }

    private func finish(_ buffer: UnsafeMutableBufferPointer<UInt8>, _ filled: Int, end: Int) -> Chunk {
        let chunk = Chunk(index: nextIndex, bytes: UnsafeMutableBufferPointer(start: buffer.baseAddress, count: end),
                          firstLine: nextLine)
        nextIndex += 1
        nextLine += ChunkFeed.lineCount(UnsafeBufferPointer(start: buffer.baseAddress, count: end),
                                        loneCR: format != .jsonLines)
        return chunk
    }

    /// The offset just after the last record end in `p[0 ..< n]` that is followed by more bytes, or nil.
    private func lastRecordEnd(_ p: UnsafeMutablePointer<UInt8>, _ n: Int) -> Int? {
        switch format {
        case .jsonLines:
            return lastLineEnd(p, 0, n, loneCR: false)
        case .lines:
            return lastLineEnd(p, 0, n, loneCR: true)
        case .csv:
            // Between quotes the state alternates: outside, inside, outside… from the chunk start (a record start).
            var best: Int?
            var pos = 0
            while pos < n {
                let q = memchr(p + pos, 0x22, n - pos).map { UnsafeMutablePointer<UInt8>($0.assumingMemoryBound(to: UInt8.self)) - p } ?? n
                if let e = lastLineEnd(p, pos, q, loneCR: true) { best = e }
                guard q < n else { break }
                // Inside quotes: skip to the closing quote.
                guard let close = memchr(p + q + 1, 0x22, n - q - 1) else { break }
                pos = UnsafeMutablePointer<UInt8>(close.assumingMemoryBound(to: UInt8.self)) - p + 1
            }
            return best
        }
    }

    /// The offset after the last LF (or lone CR: a CR not followed by LF) in `p[from ..< to]`; a CR counts only
    /// when a byte follows it within the block (at the block's end it may be the first half of a CRLF).
    private func lastLineEnd(_ p: UnsafeMutablePointer<UInt8>, _ from: Int, _ to: Int, loneCR: Bool) -> Int? {
        var i = to - 1
        while i >= from {
            let b = p[i]
            if b == 0x0A { return i + 1 }
            if loneCR, b == 0x0D, i + 1 < to { return i + 1 }
            i -= 1
        }
        return nil
    }

    /// Physical lines ended in `b` (LF, CRLF, and a lone CR when `loneCR`).
    static func lineCount(_ b: UnsafeBufferPointer<UInt8>, loneCR: Bool) -> Int {
        guard let base = b.baseAddress, b.count > 0 else { return 0 }
        if loneCR, memchr(base, 0x0D, b.count) != nil {
            var lines = 0
            var i = 0
            let n = b.count
            while i < n {
                let c = base[i]
                if c == 0x0A { lines += 1 } else if c == 0x0D, i + 1 >= n || base[i + 1] != 0x0A { lines += 1 }
                i += 1
            }
            return lines
        }
        // Count LF bytes eight at a time: a byte of x = w ^ 0x0A.. is zero exactly where w has an LF.
        let raw = UnsafeRawPointer(base)
        let n = b.count
        var i = 0
        var lines = 0
        let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        while i + 8 <= n {
            let x = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ 0x0A0A_0A0A_0A0A_0A0A
            let nonzero = (((x & low7) &+ low7) | x) & ~low7
            lines += 8 - nonzero.nonzeroBitCount
            i += 8
        }
        while i < n { if base[i] == 0x0A { lines += 1 }; i += 1 }
        return lines
    }
}
