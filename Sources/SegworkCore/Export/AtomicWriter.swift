import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a folder of exports could not be written. Nothing at the destination changed.
public enum AtomicWriteError: Error, Sendable, Equatable, LocalizedError, CustomStringConvertible {
    /// A file name is empty, absolute, or has an empty, `.` or `..` component.
    case invalidName(String)
    /// The destination exists and is not a folder.
    case notAFolder(path: String)
    /// A system call failed.
    case io(operation: String, path: String, message: String)

    /// A message a user can act on.
    public var description: String {
        switch self {
        case .invalidName(let n):
            return "cannot write export file '\(n)': names must be relative paths without empty, '.' or '..' parts"
        case .notAFolder(let p):
            return "cannot write exports to '\(p)': it exists and is not a folder; move it away or choose another path"
        case let .io(op, p, m):
            return "cannot \(op) '\(p)': \(m). Nothing was changed at the destination; check permissions and free space"
        }
    }

    /// Same as `description`.
    public var errorDescription: String? { description }
}

/// Writes a set of files as one folder, all or nothing.
public enum AtomicWriter {
    /// Writes `files` (relative paths, `/`-separated, to contents) into `directory` atomically: all
    /// files go into a temporary sibling folder and are fsynced, then the folder is renamed into place.
    /// An existing folder at `directory` is replaced only after the new one is complete (it is moved
    /// aside, the new one renamed in, then the old one deleted; if the second rename fails the old
    /// folder is moved back). On any failure nothing at `directory` changes and the temporary folder
    /// is removed. Missing parent folders are created.
    public static func writeDirectory(_ files: [String: Data], to directory: URL) throws {
        let names = files.keys.sorted(by: ProfileMath.byteLess)
        for name in names { try check(name) }
        let target = directory.standardizedFileURL
        let parent = target.deletingLastPathComponent()
        let base = target.lastPathComponent

        var isDir: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: target.path, isDirectory: &isDir)
        if exists && !isDir.boolValue { throw AtomicWriteError.notAFolder(path: target.path) }
        do {
            try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        } catch {
            throw AtomicWriteError.io(operation: "create the folder", path: parent.path,
                                      message: error.localizedDescription)
        }

        let token = UUID().uuidString.prefix(8)
        let temp = parent.appendingPathComponent(".\(base).tmp-\(token)")
        do {
            try makeDirectory(temp)
            for name in names {
                let url = temp.appendingPathComponent(name)
                let folder = url.deletingLastPathComponent()
                if folder.path != temp.path {
                    do {
                        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                    } catch {
                        throw AtomicWriteError.io(operation: "create the folder", path: folder.path,
                                                  message: error.localizedDescription)
                    }
                }
                try writeFile(files[name]!, to: url)
            }
            try syncDirectories(under: temp)
        } catch {
            try? FileManager.default.removeItem(at: temp)
            throw error
        }

        if exists {
            let old = parent.appendingPathComponent(".\(base).old-\(token)")
            do {
                try rename(target, old)
            } catch {
                try? FileManager.default.removeItem(at: temp)
                throw error
            }
            do {
                try rename(temp, target)
            } catch {
                try? rename(old, target)
                try? FileManager.default.removeItem(at: temp)
                throw error
            }
            try? syncDirectory(parent)
            // The new folder is in place; failing to delete the old copy does not undo that.
            try? FileManager.default.removeItem(at: old)
        } else {
            do {
                try rename(temp, target)
            } catch {
                try? FileManager.default.removeItem(at: temp)
                throw error
            }
        }
        try? syncDirectory(parent)
    }

    private static func check(_ name: String) throws {
        let parts = name.split(separator: "/", omittingEmptySubsequences: false)
        if name.isEmpty || name.hasPrefix("/") || name.utf8.contains(0)
            || parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) {
            throw AtomicWriteError.invalidName(name)
        }
    }

    private static func failure(_ operation: String, _ path: String) -> AtomicWriteError {
        AtomicWriteError.io(operation: operation, path: path, message: String(cString: strerror(errno)))
    }

    private static func makeDirectory(_ url: URL) throws {
        if mkdir(url.path, 0o755) != 0 { throw failure("create the folder", url.path) }
    }

    private static func rename(_ from: URL, _ to: URL) throws {
        #if canImport(Glibc)
        let rc = Glibc.rename(from.path, to.path)
        #else
        let rc = Darwin.rename(from.path, to.path)
        #endif
        if rc != 0 { throw failure("rename '\(from.path)' to", to.path) }
    }

    /// Creates the file exclusively, writes every byte, fsyncs and closes it.
    private static func writeFile(_ data: Data, to url: URL) throws {
        let fd = open(url.path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        if fd < 0 { throw failure("create the file", url.path) }
        var ok = true
        data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            var offset = 0
            while ok, offset < buffer.count {
                let n = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 { if errno != EINTR { ok = false } } else { offset += n }
            }
        }
        if !ok { let e = failure("write", url.path); close(fd); throw e }
        if fsync(fd) != 0 { let e = failure("sync", url.path); close(fd); throw e }
        if close(fd) != 0 { throw failure("close", url.path) }
    }

    private static func syncDirectory(_ url: URL) throws {
        let fd = open(url.path, O_RDONLY)
        if fd < 0 { throw failure("open the folder", url.path) }
        defer { close(fd) }
        if fsync(fd) != 0 { throw failure("sync the folder", url.path) }
    }

    /// Fsyncs `root` and every folder below it, so the entries of the new tree are durable.
    private static func syncDirectories(under root: URL) throws {
        var folders = [root]
        if let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isDirectoryKey]) {
            for case let url as URL in walker
            where (try? url.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true {
                folders.append(url)
            }
        }
        for f in folders { try syncDirectory(f) }
    }
}
