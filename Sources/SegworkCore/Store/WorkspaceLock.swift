import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SegworkData

/// The exclusive write lock of a workspace: an `flock(2)` on `<workspace>/.seg/lock`, held from
/// `VersionStore.lockForWriting` until `release()` or deinit.
///
/// flock locks belong to the open file description, so a second open of the lock file — in another process or in
/// this one — cannot take it while this one holds it; the kernel drops it when the descriptor is closed, including
/// when the process dies (`kill -9`). The file holds the holder's pid, command and start time for the "workspace
/// busy" message; it is emptied on release. Not promised on network file systems (see docs/STORE.md).
public final class WorkspaceLock {
    /// The lock file.
    public let path: String
    private var fd: Int32
    private let mutex = NSLock()

    /// Takes the lock without waiting: `.busy` naming the holder when another descriptor holds it,
    /// `.readOnly` when the lock file cannot be created or opened for writing.
    static func acquire(path: String, command: String, now: Date) throws -> WorkspaceLock {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        if fd < 0 { throw StoreFiles.error("open the lock file", path, errno) }
        // The holder writes its details just after taking the lock and empties the file just before releasing it,
        // so a contender can find the file empty for a moment: it then retries the lock (it may be free now) and
        // reads again, for up to `holderWait`, before saying the details are missing.
        let deadline = Date().addingTimeInterval(holderWait)
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            if code == EINTR { continue }
            if code == EWOULDBLOCK {
                let holder = holderFields(path: path)
                if holder == nil, Date() < deadline { usleep(5_000); continue }
                close(fd)
                throw StoreError.busy(holder: holderDescription(path: path, fields: holder ?? [:]))
            }
            close(fd)
            throw StoreFiles.error("lock", path, code)
        }
        let oneLine = command.map { $0 == "\n" || $0 == "\r" ? " " : $0 }
        let text = "pid=\(getpid())\ncommand=\(String(oneLine))\nsince=\(StoreFiles.timestamp(now))\n"
        let bytes = Array(text.utf8)
        let written = ftruncate(fd, 0) == 0 ? bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) } : -1
        if written != bytes.count {
            let code = errno
            close(fd)
            throw StoreFiles.error("write the lock file", path, code)
        }
        return WorkspaceLock(path: path, fd: fd)
    }

    private init(path: String, fd: Int32) {
        self.path = path
        self.fd = fd
    }

    deinit { release() }

    /// Whether this object still holds the lock.
    public var isHeld: Bool {
        mutex.lock(); defer { mutex.unlock() }
        return fd >= 0
    }

    /// Empties the lock file and releases the lock. Calling it again does nothing.
    public func release() {
        mutex.lock(); defer { mutex.unlock() }
        guard fd >= 0 else { return }
        _ = ftruncate(fd, 0)
        close(fd)   // closing the only descriptor of this open file description drops the flock
        fd = -1
    }

    /// How long a contender waits for the holder's details to appear (see `acquire`).
    static let holderWait: TimeInterval = 2

    /// The holder's fields from the lock file, or nil while they are not (completely) written, or name a process
    /// that no longer exists (left by a holder that was killed, before the new holder wrote its own).
    static func holderFields(path: String) -> [String: String]? {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        guard text.hasSuffix("\n") else { return nil }
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let eq = line.firstIndex(of: "=") else { continue }
            fields[String(line[..<eq])] = String(line[line.index(after: eq)...])
        }
        guard let pid = fields["pid"].flatMap({ pid_t($0) }), fields["since"] != nil else { return nil }
        if kill(pid, 0) != 0 && errno == ESRCH { return nil }
        return fields
    }

    /// What the lock file says about its holder: `pid 123, \`seg run ws\` since …, holds <path>`.
    static func holderDescription(path: String, fields: [String: String]? = nil) -> String {
        let fields = fields ?? holderFields(path: path) ?? [:]
        var parts: [String] = []
        if let pid = fields["pid"] { parts.append("pid \(pid)") }
        if let command = fields["command"], !command.isEmpty { parts.append("`\(command)`") }
        var who = parts.isEmpty ? "details not written yet" : parts.joined(separator: ", ")
        if let since = fields["since"] { who += " since \(since)" }
        return "\(who), holds \(path)"
    }
}
