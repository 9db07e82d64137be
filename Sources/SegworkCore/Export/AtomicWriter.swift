import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SegworkData

/// Why a folder of exports could not be written. Nothing at the destination changed.
public enum AtomicWriteError: SegworkError, Sendable, Equatable, CustomStringConvertible {
    /// A file name is empty, absolute, or has an empty, `.` or `..` component.
    case invalidName(String)
    /// The destination exists and is not a folder.
    case notAFolder(path: String)
    /// A system call failed.
    case io(operation: String, path: String, message: String)
    /// A run produced other bytes than an earlier run with the same run id (`place`: its export folder, or its
    /// stored version): the plugins are not deterministic. `files` differ; what was there is left as it was.
    case notReproducible(runID: String, place: String, files: [String])
    /// A folder on the way to the destination is a symbolic link leading outside `root` (the workspace).
    case linkOutside(path: String, target: String)

    /// A message a user can act on.
    public var description: String {
        switch self {
        case .invalidName(let n):
            return "cannot write export file '\(n)': names must be relative paths without empty, '.' or '..' parts"
        case .notAFolder(let p):
            return "cannot write exports to '\(p)': it exists and is not a folder; move it away or choose another path"
        case let .io(op, p, m):
            return "cannot \(op) '\(p)': \(m). Nothing was changed at the destination; check permissions and free space"
        case let .notReproducible(runID, place, files):
            return "run \(runID) is not reproducible: the same run id (same definition, inputs, plugins and reference date) "
                + "gave other bytes than \(place) in \(files.joined(separator: ", ")). Nothing was stored or replaced; "
                + "\(place) was left as it was. A plugin's output depends on something the run id does not cover — most often "
                + "iterating pairs() over a table, whose order is not defined: sort the keys first (collect them, "
                + "table.sort, then loop), or use ipairs over an array"
        case let .linkOutside(path, target):
            return "refusing to write through '\(path)': it is a symbolic link to '\(target)', outside the workspace. "
                + "Replace the link with a real folder (or remove it; seg creates it)"
        }
    }

    /// Same as `description`.
    public var errorDescription: String? { description }
    /// A file that cannot be written fails the run.
    public var exitStatus: ExitStatus { .runFailed }
}

/// Writes a set of files as one folder, all or nothing. Folders it creates are owner-only (0700) and files 0600:
/// exports hold customer ids (docs/EXPORTS.md, "Permissions").
public enum AtomicWriter {
    /// Writes `files` (relative paths, `/`-separated, to contents) into `directory` atomically: all
    /// files go into a temporary sibling folder and are fsynced, then the folder is renamed into place.
    /// An existing folder at `directory` is replaced only after the new one is complete (it is moved
    /// aside, the new one renamed in, then the old one deleted; if the second rename fails the old
    /// folder is moved back). On any failure nothing at `directory` changes and the temporary folder
    /// is removed. Missing parent folders are created.
    /// With `root` (the workspace), refuses to write through a symbolic link leading outside it
    /// (`checkNoLinkOutside`).
    public static func writeDirectory(_ files: [String: Data], to directory: URL, within root: URL? = nil) throws {
        if let root { try checkNoLinkOutside(directory, root: root) }
        try stage(files, to: directory).commit()
    }

    /// Stages `files` for `directory`, keeping the files already there that `files` does not have. Used for a
    /// run's own folder: the same run id means the same bytes, so an earlier run's other files (another
    /// `--format`, cleaning.json, rejects.csv) are still true and stay. With `preferExisting`, a file already there
    /// also wins over the new one of that name (re-exporting a stored version into its run's folder: the folder's
    /// notes.txt is the latest run's, and a version recorded before Segwork 0.4.0 kept no cleaning report, so the
    /// run's own profiles.md, with its cleaning section, stays).
    public static func stageKeepingExisting(_ files: [String: Data], in directory: URL,
                                            preferExisting: Bool = false) throws -> StagedDirectory {
        var all = files
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        where all[name] == nil || preferExisting {
            let url = directory.appendingPathComponent(name)
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir), !isDir.boolValue,
               let data = FileManager.default.contents(atPath: url.path) {
                all[name] = data
            }
        }
        return try stage(all, to: directory)
    }

    /// The first phase of `writeDirectory`: every file written and fsynced in a temporary sibling folder.
    /// Stage several folders, then commit them all, to make a set of folders all-or-nothing in practice
    /// (staging is where writes fail; a commit is a rename).
    public static func stage(_ files: [String: Data], to directory: URL) throws -> StagedDirectory {
        let names = files.keys.sorted(by: ByteOrder.less)
        for name in names { try check(name) }
        let target = directory.standardizedFileURL
        let parent = target.deletingLastPathComponent()
        let base = target.lastPathComponent

        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: target.path, isDirectory: &isDir), !isDir.boolValue {
            throw AtomicWriteError.notAFolder(path: target.path)
        }
        try makeDirectories(parent)
        let token = UUID().uuidString.prefix(8)
        let temp = parent.appendingPathComponent(".\(base).tmp-\(token)")
        // Tracked from its creation: SIGINT/SIGTERM removes it (Interruption).
        let tracking = try Interruption.shared.track(temp) { try makeDirectory(temp) }
        do {
            for name in names {
                let url = temp.appendingPathComponent(name)
                let folder = url.deletingLastPathComponent()
                if folder.path != temp.path { try makeDirectories(folder) }
                try writeFile(files[name]!, to: url)
            }
            try syncDirectories(under: temp)
        } catch {
            Interruption.shared.untrack(tracking) { try? FileManager.default.removeItem(at: temp) }
            throw error
        }
        return StagedDirectory(temp: temp, target: target, token: String(token), tracking: tracking)
    }

    /// A folder written and fsynced under a temporary name, waiting to be renamed into place.
    public struct StagedDirectory {
        let temp: URL
        let target: URL
        let token: String
        let tracking: UUID

        /// Renames the staged folder into place (replacing an older folder of the same name). An interruption
        /// (SIGINT/SIGTERM) waits for the renames to finish; `exporting` names the stored version whose folder
        /// this is, so the interruption's message can say that its exports are in place.
        public func commit(exporting versionID: String? = nil) throws {
            try Interruption.shared.untrack(tracking) {
                try renameIntoPlace()
                if let versionID { Interruption.shared.exportedUnlocked(versionID) }
            }
        }

        private func renameIntoPlace() throws {
            let parent = target.deletingLastPathComponent()
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: target.path, isDirectory: &isDir) {
                let old = parent.appendingPathComponent(".\(target.lastPathComponent).old-\(token)")
                do {
                    try AtomicWriter.rename(target, old)
                } catch {
                    removeTemp()
                    throw error
                }
                do {
                    try AtomicWriter.rename(temp, target)
                } catch {
                    try? AtomicWriter.rename(old, target)
                    removeTemp()
                    throw error
                }
                try? syncDirectory(parent)
                // The new folder is in place; failing to delete the old copy does not undo that.
                try? FileManager.default.removeItem(at: old)
            } else {
                do {
                    try AtomicWriter.rename(temp, target)
                } catch {
                    removeTemp()
                    throw error
                }
            }
            try? syncDirectory(parent)
        }

        /// Removes the staged folder without touching the destination.
        public func discard() { Interruption.shared.untrack(tracking) { try? FileManager.default.removeItem(at: temp) } }

        private func removeTemp() { try? FileManager.default.removeItem(at: temp) }
    }

    /// Cleans up after writers that were killed, below `root` (e.g. `exports/`, up to three levels down): a staged
    /// `.<name>.tmp-<token>` folder is removed; an `.<name>.old-<token>` folder is moved back to `<name>` when that
    /// is missing (a kill between the two renames of a replacement), else removed. Call it only while holding the
    /// workspace lock, so no live writer's folders are touched. Returns how many entries it handled.
    @discardableResult
    public static func recoverLeftovers(under root: URL, depth: Int = 3) -> Int {
        let fm = FileManager.default
        guard depth > 0, let names = try? fm.contentsOfDirectory(atPath: root.path) else { return 0 }
        var handled = 0
        for name in names.sorted() {
            let url = root.appendingPathComponent(name)
            if name.hasPrefix("."), let range = name.range(of: ".tmp-", options: .backwards), range.lowerBound > name.startIndex {
                try? fm.removeItem(at: url); handled += 1; continue
            }
            if name.hasPrefix("."), let range = name.range(of: ".old-", options: .backwards), range.lowerBound > name.startIndex {
                let target = root.appendingPathComponent(String(name[name.index(after: name.startIndex)..<range.lowerBound]))
                if fm.fileExists(atPath: target.path) { try? fm.removeItem(at: url) } else { try? rename(url, target) }
                handled += 1; continue
            }
            var isDir: ObjCBool = false
            if fm.fileExists(atPath: url.path, isDirectory: &isDir), isDir.boolValue {
                handled += recoverLeftovers(under: url, depth: depth - 1)
            }
        }
        return handled
    }

    /// Throws `.linkOutside` when `directory`, or a folder between `root` and it, is a symbolic link whose target is
    /// not inside `root` (writes would land outside the workspace). Links that stay inside are fine; `directory`
    /// outside `root` altogether is not checked.
    public static func checkNoLinkOutside(_ directory: URL, root: URL) throws {
        let rootPath = root.standardizedFileURL.path
        let realRoot = root.standardizedFileURL.resolvingSymlinksInPath().path
        let target = directory.standardizedFileURL.path
        guard target.hasPrefix(rootPath + "/") else { return }
        var current = rootPath
        for part in target.dropFirst(rootPath.count + 1).split(separator: "/") {
            current += "/" + part
            var info = stat()
            guard lstat(current, &info) == 0 else { return }   // the rest does not exist yet: it will be created
            guard (info.st_mode & S_IFMT) == S_IFLNK else { continue }
            let resolved = URL(fileURLWithPath: current).resolvingSymlinksInPath().path
            if resolved != realRoot && !resolved.hasPrefix(realRoot + "/") {
                throw AtomicWriteError.linkOutside(path: current, target: resolved)
            }
        }
    }

    /// `mkdir -p`, with the system's own error message.
    private static func makeDirectories(_ url: URL) throws {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir) {
            if isDir.boolValue { return }
            throw AtomicWriteError.notAFolder(path: url.path)
        }
        try makeDirectories(url.deletingLastPathComponent())
        if mkdir(url.path, 0o700) != 0 && errno != EEXIST { throw failure("create the folder", url.path) }
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
        if mkdir(url.path, 0o700) != 0 { throw failure("create the folder", url.path) }
    }

    fileprivate static func rename(_ from: URL, _ to: URL) throws {
        #if canImport(Glibc)
        let rc = Glibc.rename(from.path, to.path)
        #else
        let rc = Darwin.rename(from.path, to.path)
        #endif
        if rc != 0 { throw failure("rename '\(from.path)' to", to.path) }
    }

    /// Replaces the file at `url` with `data` atomically: written and fsynced under a temporary sibling name, renamed
    /// into place, the folder fsynced. A crash leaves the old file or the new one (and at worst a `.tmp-` sibling).
    /// `mode` is subject to the umask (files meant to be committed, such as `plugins.lock`, use 0o644).
    public static func replaceFile(_ data: Data, at url: URL, mode: mode_t = 0o644) throws {
        let temp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(UUID().uuidString)")
        do {
            try writeFile(data, to: temp, mode: mode)
            try rename(temp, url)
        } catch {
            try? FileManager.default.removeItem(at: temp)
            throw error
        }
        try syncDirectory(url.deletingLastPathComponent())
    }

    /// Creates the file exclusively, writes every byte, fsyncs and closes it.
    private static func writeFile(_ data: Data, to url: URL, mode: mode_t = 0o600) throws {
        let fd = open(url.path, O_WRONLY | O_CREAT | O_EXCL, mode)
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

    fileprivate static func syncDirectory(_ url: URL) throws {
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
