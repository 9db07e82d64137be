import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// A real PostgreSQL server for the tests: `initdb` and `pg_ctl` from the Debian `postgresql` package into a fresh
/// folder under /tmp, listening only on a Unix socket there, password authentication (scram-sha-256) for user
/// `seg`. Started in about a second; `stop()` kills it and removes the folder. PostgreSQL refuses to run as root,
/// so under root the server runs as user `nobody` (`runuser`).
final class PostgresServer: @unchecked Sendable {
    let folder: URL
    let port = Int.random(in: 20_000...60_000)
    let password = "s3cret-Pa55-\(UUID().uuidString.prefix(8))"
    let bin: URL

    /// The libpq connection string for database `postgres`.
    var url: String { "postgresql://seg:\(password)@/postgres?host=\(folder.path)&port=\(port)" }

    /// The folder with `initdb`, `pg_ctl` and `psql`: `SEG_PG_BIN`, else the newest /usr/lib/postgresql/*/bin.
    static func binaries() -> URL? {
        if let given = ProcessInfo.processInfo.environment["SEG_PG_BIN"] { return URL(fileURLWithPath: given) }
        let base = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []).compactMap(Int.init).sorted()
        return versions.reversed().map { URL(fileURLWithPath: "\(base)/\($0)/bin") }
            .first { FileManager.default.isExecutableFile(atPath: $0.appendingPathComponent("initdb").path) }
    }

    init() throws {
        guard let bin = Self.binaries() else {
            throw XCTSkip("no PostgreSQL server binaries (Debian: postgresql; scripts/ensure-deps installs them)")
        }
        self.bin = bin
        folder = URL(fileURLWithPath: "/tmp").appendingPathComponent("segwork-pg-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false,
                                                attributes: [.posixPermissions: 0o755])
        let pwfile = folder.appendingPathComponent("pw")
        try password.write(to: pwfile, atomically: true, encoding: .utf8)
        if getuid() == 0 { _ = chown(folder.path, 65534, 65534); _ = chown(pwfile.path, 65534, 65534) }
        try server(["initdb", "-D", "\(folder.path)/db", "-U", "seg", "--auth=scram-sha-256", "--pwfile=\(pwfile.path)",
                    "-E", "UTF8", "--locale=C", "--no-sync"])
        try server(["pg_ctl", "-D", "\(folder.path)/db", "-l", "\(folder.path)/log", "-w", "start", "-o",
                    "-k \(folder.path) -p \(port) -c listen_addresses= -c fsync=off -c full_page_writes=off"])
    }

    /// Stops the server at once and removes its folder.
    func stop() {
        try? server(["pg_ctl", "-D", "\(folder.path)/db", "-m", "immediate", "stop"])
        try? FileManager.default.removeItem(at: folder)
    }

    /// Runs a server program (as `nobody` under root).
    private func server(_ args: [String]) throws {
        let tool = bin.appendingPathComponent(args[0]).path
        let (exe, argv) = getuid() == 0 ? ("/usr/sbin/runuser", ["-u", "nobody", "--", tool] + args.dropFirst())
            : (tool, Array(args.dropFirst()))
        let r = try Self.run(exe, argv, env: [:])
        guard r.status == 0 else { throw Failure(what: args.joined(separator: " "), output: r.output) }
    }

    /// Runs SQL through psql (stops at the first error); returns its output.
    @discardableResult
    func psql(_ sql: String) throws -> String {
        let r = try Self.run(bin.appendingPathComponent("psql").path,
                             ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql], env: [:])
        guard r.status == 0 else { throw Failure(what: "psql \(sql.prefix(80))", output: r.output) }
        return r.output
    }

    /// Loads CSV file `file` into table `table` (which must exist), through psql's \copy.
    func load(_ table: String, columns: String, from file: URL) throws {
        try psql("\\copy \(table)(\(columns)) from '\(file.path)' csv header")
    }

    struct Failure: Error, CustomStringConvertible {
        var what: String
        var output: String
        var description: String { "\(what) failed: \(output)" }
    }

    /// Runs a program and waits for it, output and errors together. posix_spawn and waitpid rather than
    /// Foundation's Process, whose end-of-child detection waits for every descendant: `pg_ctl start` leaves the
    /// server running.
    private static func run(_ exe: String, _ args: [String], env: [String: String]) throws -> (status: Int32, output: String) {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("pg-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, out.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ([exe] + args).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let envp = ProcessInfo.processInfo.environment.merging(env) { $1 }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, exe, &actions, nil, argv, envp)
        guard rc == 0 else { throw Failure(what: exe, output: "posix_spawn failed: \(rc)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let exited = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return (exited, (try? String(contentsOf: out, encoding: .utf8)) ?? "")
    }
}
