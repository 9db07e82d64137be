import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SegworkData

/// The file-system side of the store: durable copies into `.seg/datasets/`, directory fsyncs, and turning `errno`
/// into a `StoreError` (permission errors become `.readOnly`).
enum StoreFiles {
    /// `errno` values that mean "this place cannot be written".
    static func isPermissionError(_ code: Int32) -> Bool { code == EACCES || code == EPERM || code == EROFS }

    /// The error for a failed call with `errno` = `code`: `.readOnly` for permission errors, else `.io`.
    static func error(_ operation: String, _ path: String, _ code: Int32) -> StoreError {
        if isPermissionError(code) { return .readOnly(path: path) }
        return .io(operation: operation, path: path, message: String(cString: strerror(code)))
    }

    /// The error for a failed read of `path` (never `.readOnly`: the file is someone else's input).
    static func readError(_ path: String, _ code: Int32) -> StoreError {
        .io(operation: "read", path: path, message: String(cString: strerror(code)))
    }

    /// Creates `url` as a folder unless it exists. An existing non-folder is reported as damage to the store.
    static func makeDirectory(_ url: URL, storePath: String) throws {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir) {
            if isDir.boolValue { return }
            throw StoreError.corrupted(path: storePath, detail: "'\(url.path)' is a file where a folder belongs")
        }
        if mkdir(url.path, 0o700) != 0 && errno != EEXIST { throw error("create the folder", url.path, errno) }
        try syncDirectory(url.deletingLastPathComponent())
    }

    /// `.linkOutside` when `.seg/`, `.seg/datasets/`, `.seg/store.sqlite` or `.seg/lock` is (or lies behind) a
    /// symbolic link leading out of the workspace `root`.
    static func checkNoLinkOutside(_ url: URL, root: URL) throws {
        do { try AtomicWriter.checkNoLinkOutside(url, root: root) } catch AtomicWriteError.linkOutside(let path, let target) {
            throw StoreError.linkOutside(path: path, target: target)
        }
    }

    /// Creates an empty file readable and writable by its owner only (0600), unless it exists.
    static func createOwnerOnly(_ path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd < 0 {
            if errno == EEXIST { return }
            throw error("create the file", path, errno)
        }
        close(fd)
    }

    /// Fsyncs a folder so that the names created or renamed in it are durable.
    static func syncDirectory(_ url: URL) throws {
        let fd = open(url.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd < 0 { throw error("open the folder", url.path, errno) }
        defer { close(fd) }
        if fsync(fd) != 0 { throw error("sync the folder", url.path, errno) }
    }

    /// Size of the buffer files are read through when hashing and copying.
    static let chunkSize = 4 << 20

    /// SHA-256 and size of a file, read in 4 MiB chunks.
    static func hash(_ url: URL) throws -> (sha256: String, bytes: Int) {
        let fd = open(url.path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw readError(url.path, errno) }
        defer { close(fd) }
        var hasher = SHA256()
        var total = 0
        try readChunks(fd, url.path) { chunk in hasher.update(bytes: chunk); total += chunk.count }
        return (hasher.hexDigest(), total)
    }

    /// Removes temporary files (`.tmp-*`) a killed process left in `folder`. Only called under the write lock.
    static func removeTemporaries(in folder: URL) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in names.sorted() where name.hasPrefix(".tmp-") {
            unlink(folder.appendingPathComponent(name).path)
        }
    }

    /// Reads `fd` to its end through one 4 MiB buffer, handing each chunk read to `body`.
    static func readChunks(_ fd: Int32, _ path: String, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 64)
        defer { buffer.deallocate() }
        while true {
            let n = read(fd, buffer.baseAddress, buffer.count)
            if n < 0 {
                if errno == EINTR { continue }
                throw readError(path, errno)
            }
            if n == 0 { return }
            try body(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        }
    }

    static func writeAll(_ fd: Int32, _ raw: UnsafeRawBufferPointer, _ path: String) throws {
        var offset = 0
        while offset < raw.count {
            let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw error("write", path, errno)
            }
            offset += n
        }
    }

    /// The current time as ISO 8601 UTC with seconds (`2026-11-25T17:09:00Z`), independent of locale.
    static func timestamp(_ date: Date) -> String {
        var t = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&t, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                      Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
    }
}
