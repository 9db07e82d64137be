/* Copies of input files into `.seg/datasets/`: made and checked under a temporary name, then renamed into place
 * when the version is stored. A run starts them in the background as soon as it has read (and hashed) its inputs,
 * so the copy overlaps the rest of the run instead of adding to it (docs/STORE.md, "Snapshots"). */
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SegworkData

/// A copy of an input, fsynced and checked against the run's digest, waiting in the store's folder under a
/// temporary name (`.tmp-<uuid>`; an interruption removes it, and so does the next writer if this process is
/// killed). `commit` renames it into place; `discard` (or dropping it) removes it.
final class PendingCopy: @unchecked Sendable {
    /// The temporary file.
    let temp: URL
    /// Bytes copied.
    let bytes: Int
    private let token: UUID
    private var finished = false
    private let lock = NSLock()

    fileprivate init(temp: URL, bytes: Int, token: UUID) { self.temp = temp; self.bytes = bytes; self.token = token }

    deinit { discard() }

    /// Renames the copy to `destination` (in the same folder) and fsyncs the folder.
    func commit(to destination: URL) throws {
        try lock.withLock {
            precondition(!finished, "a pending copy is committed or discarded once")
            try Interruption.shared.untrack(token) {
                if rename(temp.path, destination.path) != 0 {
                    let code = errno
                    unlink(temp.path)
                    throw StoreFiles.error("rename into place", destination.path, code)
                }
            }
            finished = true
        }
        try StoreFiles.syncDirectory(destination.deletingLastPathComponent())
    }

    /// Removes the copy (nothing when it was committed).
    func discard() {
        lock.withLock {
            guard !finished else { return }
            finished = true
            Interruption.shared.untrack(token) { unlink(temp.path) }
        }
    }
}

extension StoreFiles {
    /// Copies `source` into `folder` under a temporary name, fsyncs it and checks that it hashes to `expected` (the
    /// digest the caller computed when it read the source); otherwise the source changed meanwhile, the copy is
    /// removed and `.inputChanged` is thrown.
    ///
    /// On Linux the kernel copies the bytes (`sendfile`, file to file: no trip through this process, 3-8× less
    /// system time than `read`/`write` for a file in the page cache) and the copy is then read and hashed, which is
    /// what the digest must vouch for; where the kernel cannot (another system, an old kernel) each chunk is read,
    /// hashed and written. `kernel: false` takes that path everywhere (tests cover both).
    static func prepareCopy(_ source: URL, in folder: URL, expected: String, kernel: Bool = true) throws -> PendingCopy {
        let temp = folder.appendingPathComponent(".tmp-\(UUID().uuidString)")
        let input = open(source.path, O_RDONLY | O_CLOEXEC)
        if input < 0 { throw readError(source.path, errno) }
        defer { close(input) }
        var output: Int32 = -1
        let token = try Interruption.shared.track(temp) {   // SIGINT/SIGTERM removes it (Interruption)
            output = open(temp.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o400)
            if output < 0 { throw error("create the file", temp.path, errno) }
        }
        var total = 0
        let digest: String
        do {
            if kernel, let copied = try kernelCopy(input, source.path, to: output, temp.path) {
                total = copied
                digest = try readBack(temp, bytes: copied)
            } else {
                var hasher = SHA256()
                try readChunks(input, source.path) { chunk in
                    hasher.update(bytes: chunk)
                    try writeAll(output, chunk, temp.path)
                    total += chunk.count
                }
                digest = hasher.hexDigest()
            }
            if fsync(output) != 0 { throw error("sync", temp.path, errno) }
            let closed = close(output)
            output = -1
            if closed != 0 { throw error("close", temp.path, errno) }
            guard digest == expected else { throw StoreError.inputChanged(path: source.path) }
        } catch {
            if output >= 0 { close(output) }
            Interruption.shared.untrack(token) { unlink(temp.path) }
            throw error
        }
        return PendingCopy(temp: temp, bytes: total, token: token)
    }

    /// Copies `source` to `destination` durably (`prepareCopy`, then the rename and the folder's fsync) and returns
    /// the number of bytes copied.
    @discardableResult
    static func durableCopy(_ source: URL, to destination: URL, expected: String, kernel: Bool = true) throws -> Int {
        let copy = try prepareCopy(source, in: destination.deletingLastPathComponent(), expected: expected, kernel: kernel)
        try copy.commit(to: destination)
        return copy.bytes
    }

    /// SHA-256 of the copy at `url`, which must hold `bytes` bytes.
    private static func readBack(_ url: URL, bytes: Int) throws -> String {
        let fd = open(url.path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw error("open", url.path, errno) }
        defer { close(fd) }
        var hasher = SHA256()
        var read = 0
        try readChunks(fd, url.path) { chunk in hasher.update(bytes: chunk); read += chunk.count }
        guard read == bytes else { throw StoreError.io(operation: "read back", path: url.path, message: "the copy is short") }
        return hasher.hexDigest()
    }

    /// Copies all of `input` (from its start) to the empty file `output` inside the kernel and returns the bytes
    /// copied, or nil when the kernel cannot copy between these files (nothing was written then). Linux only.
    private static func kernelCopy(_ input: Int32, _ inputPath: String, to output: Int32, _ outputPath: String) throws -> Int? {
        #if os(Linux)
        var total = 0
        while true {
            let n = sendfile(output, input, nil, 1 << 30)
            if n > 0 { total += n; continue }
            if n == 0 { return total }
            let code = errno
            if code == EINTR || code == EAGAIN { continue }
            if total == 0 && (code == EINVAL || code == ENOSYS || code == EOPNOTSUPP) { return nil }
            // A full disk or quota is the copy's side; anything else may be either file's: say both.
            if code == ENOSPC || code == EDQUOT || code == EFBIG { throw error("write", outputPath, code) }
            throw error("copy \(inputPath) to", outputPath, code)
        }
        #else
        return nil
        #endif
    }
}

/// Snapshot copies a run starts while it computes. `History.run` starts one for every input file the moment the
/// run has read and hashed its inputs (unless the store already holds those bytes), and the store takes the
/// finished copy when it records the version; copies never taken (a failed run) are removed.
///
/// Only the copying runs in the background: the store's database is read and written on the caller's thread.
final class SnapshotPrefetch: @unchecked Sendable {
    private let store: VersionStore
    private var copies: [String: Background<PendingCopy>] = [:]

    init(store: VersionStore) { self.store = store }

    deinit { discardAll() }

    private static func key(_ file: URL, _ sha256: String) -> String { "\(sha256) \(file.path)" }

    /// Starts copying each file whose digest the store does not already hold (with that file's extension).
    func start(files: [String: URL], inputs: [InputInfo]) {
        for (name, url) in files.sorted(by: { $0.key < $1.key }) {
            guard let sha = inputs.first(where: { $0.name == name })?.sha256,
                  copies[Self.key(url, sha)] == nil,
                  store.snapshotURL(sha256: sha, extension: url.pathExtension) == nil else { continue }
            let folder = store.datasetsDirectory
            copies[Self.key(url, sha)] = Background { try StoreFiles.prepareCopy(url, in: folder, expected: sha) }
        }
    }

    /// The finished copy of `file` with digest `sha256` (waiting for it), or nil when none was started or it failed
    /// (the store then copies the file itself, and reports what goes wrong).
    func take(_ file: URL, sha256: String) -> PendingCopy? {
        guard let copy = copies.removeValue(forKey: Self.key(file, sha256)) else { return nil }
        return try? copy.value()
    }

    /// Waits for every copy not taken and removes it.
    func discardAll() {
        for copy in copies.values { (try? copy.value())?.discard() }
        copies = [:]
    }
}
