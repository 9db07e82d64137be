import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Executables for children that drop to user `nobody`: a checkout may live in a folder only its owner can enter
/// (`mktemp -d` makes 0700 folders), where `nobody` cannot reach the build. Then the binary is copied to a fresh
/// world-readable folder under /tmp for the child, and removed afterwards.
enum UnprivilegedCopy {
    /// True when every folder above `path` can be entered by anyone and the file can be read and run by anyone.
    static func everyoneCanRun(_ path: String) -> Bool {
        var url = URL(fileURLWithPath: path).standardizedFileURL
        var info = stat()
        guard stat(url.path, &info) == 0, info.st_mode & 0o005 == 0o005 else { return false }
        while url.path != "/" {
            url.deleteLastPathComponent()
            guard stat(url.path, &info) == 0, info.st_mode & 0o001 != 0 else { return false }
        }
        return true
    }

    /// `path` itself when everyone can run it; else a copy in a new 0755 folder under /tmp (`cleanup` removes it).
    static func make(_ path: String) throws -> (path: String, cleanup: @Sendable () -> Void) {
        if everyoneCanRun(path) { return (path, {}) }
        let folder = URL(fileURLWithPath: "/tmp").appendingPathComponent("segwork-unprivileged-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false,
                                                attributes: [.posixPermissions: 0o755])
        let copy = folder.appendingPathComponent(URL(fileURLWithPath: path).lastPathComponent)
        try FileManager.default.copyItem(atPath: path, toPath: copy.path)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: copy.path)
        return (copy.path, { try? FileManager.default.removeItem(at: folder) })
    }
}
